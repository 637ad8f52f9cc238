import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { CannedResponse, CannedScope } from "../../protocol/canned";
import { cannedPath } from "../chat/snippets";
import { api, errorMessage } from "../lib/api";
import { formatDate } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import { Alert, Button, type Column, ConfirmDialog, Input, Table, useToast } from "../ui";
import { CannedDialog } from "./canned-dialog";

export interface CannedListProps {
  scope: CannedScope;
  heading: string;
  intro: string;
  /** Shared snippets are changed with canned.manage; everyone else reads them. */
  editable: boolean;
}

function preview(body: string): string {
  const line = body.replace(/\s+/g, " ");
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** One scope's canned responses with search, and dialogs to create, edit and delete them where allowed. */
export function CannedList({ scope, heading, intro, editable }: CannedListProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const searchId = useId();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const list = usePagedList<CannedResponse>(cannedPath, { scope, q });
  const [editing, setEditing] = useState<{ canned: CannedResponse | null } | null>(null);
  const [removing, setRemoving] = useState<CannedResponse | null>(null);
  const testId = `canned-${scope}`;

  const remove = useMutation({
    mutationFn: (canned: CannedResponse) => api.delete<unknown>(`${cannedPath}/${canned.id}`),
    onSuccess: (_res, canned) => {
      void queryClient.invalidateQueries({ queryKey: [cannedPath] });
      toast(`/${canned.shortcut} deleted`, "success");
      setRemoving(null);
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });

  const columns: Column<CannedResponse>[] = [
    { header: "Shortcut", cell: (c) => <code>/{c.shortcut}</code>, nowrap: true },
    { header: "Title", cell: (c) => c.title },
    { header: "Text", cell: (c) => <span className="muted">{preview(c.body)}</span> },
    { header: "Updated", cell: (c) => formatDate(c.updatedAt), nowrap: true },
  ];
  if (editable) {
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      nowrap: true,
      cell: (c) => (
        <span className="row" style={{ flexWrap: "nowrap" }}>
          <Button
            size="sm"
            onClick={() => setEditing({ canned: c })}
            aria-label={`Edit /${c.shortcut}`}
            data-testid={`canned-edit-${c.shortcut}`}
          >
            Edit
          </Button>
          <Button
            size="sm"
            variant="danger"
            onClick={() => setRemoving(c)}
            aria-label={`Delete /${c.shortcut}`}
            data-testid={`canned-delete-${c.shortcut}`}
          >
            Delete
          </Button>
        </span>
      ),
    });
  }

  return (
    <section className="stack" data-testid={testId}>
      <div className="row">
        <h2 className="spacer">{heading}</h2>
        {editable && (
          <Button
            variant="primary"
            onClick={() => setEditing({ canned: null })}
            data-testid={`${testId}-add`}
          >
            New canned response
          </Button>
        )}
      </div>
      <p className="muted" style={{ margin: 0 }}>
        {intro}
      </p>
      <div>
        <label htmlFor={searchId} className="visually-hidden">
          Search {heading.toLowerCase()}
        </label>
        <Input
          id={searchId}
          type="search"
          maxLength={100}
          placeholder="Search shortcut, title or text…"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          data-testid={`${testId}-search`}
        />
      </div>
      {list.isError && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
      <Table
        columns={columns}
        rows={list.items}
        rowKey={(c) => c.id}
        rowTestId={(c) => `canned-row-${c.shortcut}`}
        loading={list.isPending}
        empty={q ? "Nothing matches this search." : "No canned responses yet."}
        testId={`${testId}-table`}
        caption={heading}
      />
      {list.hasNextPage && (
        <Button
          onClick={() => list.fetchNextPage()}
          busy={list.isFetchingNextPage}
          data-testid={`${testId}-more`}
        >
          Load more
        </Button>
      )}
      <CannedDialog
        open={editing !== null}
        canned={editing?.canned ?? null}
        scope={scope}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={removing !== null}
        title="Delete canned response"
        message={`Delete /${removing?.shortcut ?? ""} (${removing?.title ?? ""})? ${
          scope === "tenant" ? "Nobody will be offered it any more." : "This cannot be undone."
        }`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
        testId="canned-delete-dialog"
      />
    </section>
  );
}
