import type { Availability } from "../../protocol/enums";
import { availabilityLabels, availabilityTones } from "../lib/labels";
import { Badge } from "../ui";

export function AvailabilityBadge({ value, testId }: { value: Availability | undefined; testId?: string }) {
  const status = value ?? "offline";
  return (
    <Badge tone={availabilityTones[status]} testId={testId}>
      {availabilityLabels[status]}
    </Badge>
  );
}
