import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import type { Availability } from "../../protocol/enums";
import { api, errorMessage } from "../lib/api";
import { availabilityLabels, formatTime } from "../lib/labels";
import { meKey } from "../lib/me";
import { useSocketEvent } from "../lib/socket";
import type { Me } from "../lib/types";
import { useSignedIn } from "../shell/signed-in";
import { useToast } from "../ui";

/** Break lengths offered to staff and to team leads putting someone on a break. */
export const breakMinutes = [15, 30, 60] as const;

export function breakUntil(minutes: number, now = Date.now()): string {
  return new Date(now + minutes * 60_000).toISOString();
}

/**
 * Someone else may change this person's availability (a team lead's break, the break's end, presence making them
 * away when their last tab closed): the server says so with `presence`, and the header follows.
 */
export function useOwnPresence(userId: string): void {
  const client = useQueryClient();
  useSocketEvent("presence", (p) => {
    // Staff boards refresh their own way (staff-board.tsx); this keeps the header's switch honest.
    if (p.userId !== userId || !p.availability) return;
    const { availability, availabilityUntil = null } = p;
    client.setQueryData<Me>(
      meKey,
      (old) => old && { ...old, user: { ...old.user, availability, availabilityUntil } },
    );
  });
}

type Choice = Availability | `break:${number}`;

/** The staff member's own availability; routing only offers chats to people who are online. */
export function AvailabilitySwitch() {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const toast = useToast();
  const id = useId();

  const change = useMutation({
    mutationFn: (next: { status: Availability; until?: string }) =>
      api.patch<unknown>("/me/availability", next),
    onSuccess: (_res, next) => {
      queryClient.setQueryData<Me>(
        meKey,
        (old) =>
          old && {
            ...old,
            user: { ...old.user, availability: next.status, availabilityUntil: next.until ?? null },
          },
      );
      // The staff board and transfer lists show everyone's availability, this user's included.
      void queryClient.invalidateQueries({ queryKey: ["/staff"] });
      void queryClient.invalidateQueries({ queryKey: ["/staff/colleagues"] });
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });

  const current: Availability = change.isPending
    ? change.variables.status
    : (me.user.availability ?? "offline");
  const until = current === "on_break" && !change.isPending ? (me.user.availabilityUntil ?? null) : null;
  const choose = (value: string) => {
    const choice = value as Choice;
    if (choice.startsWith("break:")) {
      const minutes = Number(choice.slice("break:".length));
      change.mutate({ status: "on_break", until: breakUntil(minutes) });
    } else if (choice !== "on_break") {
      change.mutate({ status: choice as Availability });
    }
  };
  const option = (status: Availability) => <option value={status}>{availabilityLabels[status]}</option>;
  return (
    <span className="row availability-switch" data-availability={current} data-until={until ?? ""}>
      <span className={`availability-dot availability-dot-${current}`} aria-hidden="true" />
      <label htmlFor={id} className="visually-hidden">
        Availability
      </label>
      <select
        id={id}
        className="input availability-select"
        value={current}
        disabled={change.isPending}
        onChange={(e) => choose(e.target.value)}
        data-testid="availability-select"
      >
        {option("online")}
        {option("away")}
        <optgroup label="Take a break">
          {current === "on_break" && (
            <option value="on_break" data-testid="availability-break-current">
              {until ? `On break until ${formatTime(until)}` : "On break"}
            </option>
          )}
          {breakMinutes.map((m) => (
            <option key={m} value={`break:${m}`}>
              {current === "on_break" ? `${m} minutes from now` : `${m} minutes`}
            </option>
          ))}
        </optgroup>
        {option("offline")}
      </select>
    </span>
  );
}
