import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, errorMessage, isApiError } from "../lib/api";
import { availabilityLabels } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import type { Page, StaffMember, Team } from "../lib/types";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Button, Dialog, Field } from "../ui";
import { useConversationAction } from "./use-conversation-action";

/** Whether a colleague can take one more chat now: online, active and below their limit. */
export function hasRoom(s: StaffMember): boolean {
  return s.status === "active" && s.availability === "online" && s.activeChats < s.maxChats;
}

function whyNot(s: StaffMember): string | null {
  if (s.availability !== "online") return availabilityLabels[s.availability].toLowerCase();
  if (s.activeChats >= s.maxChats) return "full";
  return null;
}

/** "Sarah Johnson · Online · 2 of 5 chats", with why someone cannot take it. */
function colleagueLabel(s: StaffMember): string {
  const reason = whyNot(s);
  const load = `${s.activeChats} of ${s.maxChats} chats`;
  return `${s.name} · ${availabilityLabels[s.availability]} · ${load}${reason ? ` (${reason})` : ""}`;
}

interface TeamChoice {
  id: string;
  name: string;
  /** Colleagues of the team who could take a chat now. */
  withRoom: number;
}

/** Teams to transfer to, each with how many of its people could take a chat now. */
function useTeamChoices(colleagues: StaffMember[]) {
  const teams = useQuery({
    // Not the admin screen's paged key: this one caches a single page.
    queryKey: ["/teams", "choices"],
    queryFn: () => api.get<Page<Team>>("/teams"),
  });
  const room = (id: string) => colleagues.filter((s) => s.teamId === id && hasRoom(s)).length;
  const choices: TeamChoice[] = (teams.data?.items ?? []).map((t) => ({
    id: t.id,
    name: t.name,
    withRoom: room(t.id),
  }));
  return { choices, isPending: teams.isPending, error: teams.error };
}

type Mode = "person" | "team";

function TransferForm({
  conversationId,
  assigneeId,
  onClose,
}: {
  conversationId: string;
  assigneeId: string | undefined;
  onClose: () => void;
}) {
  const _me = useSignedIn();
  const modeName = useId();
  const staff = usePagedList<StaffMember>("/staff/colleagues", { limit: 200 });
  const teams = useTeamChoices(staff.items);
  const [mode, setMode] = useState<Mode>("person");
  const [target, setTarget] = useState("");
  const [teamId, setTeamId] = useState("");
  const [note, setNote] = useState("");
  const transfer = useConversationAction(conversationId, onClose);
  // The one holding the chat is not a target; everyone else is listed, those without room greyed out.
  const colleagues = staff.items
    .filter((s) => s.id !== assigneeId && s.status === "active")
    .sort((a, b) => Number(hasRoom(b)) - Number(hasRoom(a)) || a.name.localeCompare(b.name));
  const anyRoom = colleagues.some(hasRoom);
  const chosen = mode === "person" ? target : teamId;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = note.trim() || undefined;
    if (mode === "person" && target) transfer.mutate({ kind: "assign", assigneeId: target, note: text });
    if (mode === "team" && teamId) transfer.mutate({ kind: "team", teamId, note: text });
  };
  if (isApiError(staff.error, 403)) {
    return (
      <Alert tone="danger" testId="transfer-forbidden">
        Your role cannot list colleagues. Ask a team lead to reassign this chat.
      </Alert>
    );
  }
  return (
    <form className="stack" onSubmit={submit}>
      {staff.isError && <Alert tone="danger">{errorMessage(staff.error)}</Alert>}
      <fieldset className="choice-group">
        <legend className="field-label">Transfer to</legend>
        <label className="check">
          <input
            type="radio"
            name={modeName}
            checked={mode === "person"}
            onChange={() => setMode("person")}
            data-testid="transfer-mode-person"
          />
          A colleague
        </label>
        <label className="check">
          <input
            type="radio"
            name={modeName}
            checked={mode === "team"}
            onChange={() => setMode("team")}
            data-testid="transfer-mode-team"
          />
          A team's queue
        </label>
      </fieldset>
      {mode === "person" ? (
        <Field
          label="Colleague"
          hint="Each colleague's availability and chats now. Only those online with room can take it."
        >
          {(p) => (
            <select
              {...p}
              className="input"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              data-testid="transfer-target"
            >
              <option value="">
                {staff.isPending ? "Loading…" : anyRoom ? "Choose a colleague" : "Nobody has room now"}
              </option>
              {colleagues.map((s) => (
                <option key={s.id} value={s.id} disabled={!hasRoom(s)}>
                  {colleagueLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <Field
          label="Team"
          hint="The chat waits in the team's queue until someone of the team takes it or is given it."
        >
          {(p) => (
            <select
              {...p}
              className="input"
              value={teamId}
              onChange={(e) => setTeamId(e.target.value)}
              data-testid="transfer-team"
            >
              <option value="">
                {teams.isPending || staff.isPending
                  ? "Loading…"
                  : teams.choices.length
                    ? "Choose a team"
                    : "No teams yet"}
              </option>
              {teams.choices.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} · {t.withRoom === 1 ? "1 online with room" : `${t.withRoom} online with room`}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {teams.error && mode === "team" ? <Alert tone="danger">{errorMessage(teams.error)}</Alert> : null}
      <Field label="Note for them" hint="Kept as an internal note: the customer never sees it.">
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={3}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="transfer-note"
          />
        )}
      </Field>
      <div className="dialog-actions">
        <Button onClick={onClose} data-testid="transfer-cancel">
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          busy={transfer.isPending}
          disabled={!chosen}
          data-testid="transfer-submit"
        >
          Transfer
        </Button>
      </div>
    </form>
  );
}

export function TransferDialog(props: {
  conversationId: string;
  assigneeId: string | undefined;
  open: boolean;
  onClose: () => void;
  title?: string;
}) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      title={props.title ?? "Transfer this chat"}
      testId="transfer-dialog"
    >
      <TransferForm
        conversationId={props.conversationId}
        assigneeId={props.assigneeId}
        onClose={props.onClose}
      />
    </Dialog>
  );
}
