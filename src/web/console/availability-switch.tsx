import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import type { Availability } from "../../protocol/enums";
import { api, errorMessage } from "../lib/api";
import { availabilityOptions } from "../lib/labels";
import { meKey } from "../lib/me";
import type { Me } from "../lib/types";
import { useSignedIn } from "../shell/signed-in";
import { Select, useToast } from "../ui";

/** The staff member's own availability; routing only offers chats to people who are online. */
export function AvailabilitySwitch() {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const toast = useToast();
  const id = useId();

  const change = useMutation({
    mutationFn: (status: Availability) => api.patch<unknown>("/me/availability", { status }),
    onSuccess: (_res, status) => {
      queryClient.setQueryData<Me>(
        meKey,
        (old) => old && { ...old, user: { ...old.user, availability: status } },
      );
      // The staff board shows everyone's availability, this user's included.
      void queryClient.invalidateQueries({ queryKey: ["/staff"] });
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });

  const current = change.isPending ? change.variables : (me.user.availability ?? "offline");
  return (
    <span className="row" data-availability={current}>
      <label htmlFor={id} className="visually-hidden">
        Availability
      </label>
      <Select
        id={id}
        options={availabilityOptions}
        value={current}
        disabled={change.isPending}
        onChange={(e) => {
          const status = availabilityOptions.find((o) => o.value === e.target.value)?.value;
          if (status) change.mutate(status);
        }}
        data-testid="availability-select"
        style={{ width: "auto" }}
      />
    </span>
  );
}
