import { useCallback, useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { StatusBadge, UnreadBadge } from "../chat/status-badge";
import { errorMessage } from "../lib/api";
import { type Conversation, conversationsPath } from "../lib/chat";
import { formatTime } from "../lib/labels";
import { hasPermission } from "../lib/me";
import { usePagedList } from "../lib/paged";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Button, Card, Input, type TabItem, Tabs, tabPanelProps } from "../ui";

export type InboxView = "mine" | "unassigned" | "all" | "mentions";
const views: readonly InboxView[] = ["mine", "unassigned", "all", "mentions"];

/** The inbox's tab and search live in the URL, so they survive opening a conversation and a reload. */
export function useInboxParams() {
  const [params, setParams] = useSearchParams();
  const raw = params.get("view");
  const view: InboxView = views.find((v) => v === raw) ?? "mine";
  const q = params.get("q") ?? "";
  const update = useCallback(
    (next: { view?: InboxView; q?: string }) =>
      setParams(
        (old) => {
          const merged = new URLSearchParams(old);
          for (const [key, value] of Object.entries(next)) {
            if (value) merged.set(key, value);
            else merged.delete(key);
          }
          return merged;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { view, q, update, search: params.toString() };
}

function InboxRow({ c, active, search }: { c: Conversation; active: boolean; search: string }) {
  return (
    <li>
      <Link
        to={`/console/conversations/${c.id}${search ? `?${search}` : ""}`}
        className={active ? "conv-row conv-row-stacked active" : "conv-row conv-row-stacked"}
        aria-current={active ? "page" : undefined}
        data-testid={`inbox-row-${c.number}`}
      >
        <span className="conv-line">
          <span className="conv-title">
            #{c.number} {c.customer?.name ?? "Unknown customer"}
          </span>
          <UnreadBadge count={c.unreadCount} testId={`inbox-row-${c.number}-unread`} />
          <span className="conv-time muted">{formatTime(c.lastMessageAt ?? c.createdAt)}</span>
        </span>
        <span className="conv-line">
          <span className="conv-sub spacer">{c.subject || "No subject"}</span>
          <StatusBadge status={c.status} staff testId={`inbox-row-${c.number}-status`} />
        </span>
        {c.assignee && <span className="conv-sub">Assigned to {c.assignee.name}</span>}
      </Link>
    </li>
  );
}

/** Mine, the unassigned queue, (with chats.all) everything, and where colleagues @mentioned me; live. */
export function Inbox({ activeId, compact }: { activeId?: string; compact?: boolean }) {
  const me = useSignedIn();
  const searchId = useId();
  const { view, q, update, search } = useInboxParams();
  const [typed, setTyped] = useState(q);
  const mayAll = hasPermission(me, "chats.all");
  const shown: InboxView = view === "all" && !mayAll ? "mine" : view;
  const list = usePagedList<Conversation>(conversationsPath, { view: shown, q, kind: "support" });
  const queue = usePagedList<Conversation>(conversationsPath, { view: "unassigned", status: "queued" });

  // Searching as one types, without a request per keystroke.
  useEffect(() => {
    if (typed.trim() === q) return;
    const timer = setTimeout(() => update({ q: typed.trim() }), 300);
    return () => clearTimeout(timer);
  }, [typed, q, update]);

  const waiting = queue.hasNextPage ? `${queue.items.length}+` : String(queue.items.length);
  const tabs: TabItem[] = [
    { id: "mine", label: "Mine" },
    { id: "unassigned", label: queue.items.length ? `Unassigned · ${waiting}` : "Unassigned" },
    ...(mayAll ? [{ id: "all", label: "All" }] : []),
    { id: "mentions", label: "Mentions" },
  ];
  return (
    <Card title={compact ? undefined : "Inbox"} className="inbox" data-testid="console-inbox">
      <Tabs
        items={tabs}
        value={shown}
        onChange={(id) => update({ view: views.find((v) => v === id) ?? "mine" })}
        label="Inbox views"
        prefix="inbox-tab"
      />
      <div {...tabPanelProps("inbox-tab", shown)} className="stack inbox-panel">
        <label htmlFor={searchId} className="visually-hidden">
          Search conversations
        </label>
        <Input
          id={searchId}
          type="search"
          maxLength={200}
          placeholder="Search…"
          title="Search subjects and messages"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          data-testid="inbox-search"
        />
        {list.isError && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
        {list.isPending && <p className="muted">Loading…</p>}
        {!list.isPending && list.items.length === 0 && (
          <p className="muted" data-testid="inbox-empty">
            {q
              ? "Nothing matches this search."
              : shown === "mine"
                ? "No chats assigned to you."
                : "Nothing here."}
          </p>
        )}
        <ul className="conv-list" data-testid="inbox-list">
          {list.items.map((c) => (
            <InboxRow key={c.id} c={c} active={c.id === activeId} search={search} />
          ))}
        </ul>
        {list.hasNextPage && (
          <Button
            onClick={() => list.fetchNextPage()}
            busy={list.isFetchingNextPage}
            data-testid="inbox-more"
          >
            Load more
          </Button>
        )}
      </div>
    </Card>
  );
}
