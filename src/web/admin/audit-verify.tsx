import { useMutation } from "@tanstack/react-query";
import { api, errorMessage } from "../lib/api";
import { formatDateTime } from "../lib/labels";
import type { ChainVerification } from "../lib/types";
import { Alert, Button } from "../ui";

function verdict(result: ChainVerification): string {
  if (result.ok) return `Chain intact (${result.checked} entries)`;
  if (!result.firstTampered) return `Chain broken (${result.checked} entries checked)`;
  const { seq, createdAt } = result.firstTampered;
  return `Tampered at entry #${seq} (written ${formatDateTime(createdAt)})`;
}

/** Re-checks the hash chain on the server; any edit or deletion in the trail breaks it from that entry on. */
export function AuditVerify() {
  const verify = useMutation({ mutationFn: () => api.get<ChainVerification>("/audit-log/verify") });
  const result = verify.data;
  return (
    <div className="stack" style={{ gap: "0.5rem" }}>
      <div className="row">
        <Button onClick={() => verify.mutate()} busy={verify.isPending} data-testid="audit-verify">
          Verify chain
        </Button>
        <span className="muted">Checks that no entry was changed or removed since it was written.</span>
      </div>
      {verify.isError && (
        <Alert tone="danger" testId="audit-verify-error">
          {errorMessage(verify.error)}
        </Alert>
      )}
      {result && !verify.isPending && (
        <Alert tone={result.ok ? "success" : "danger"} testId="audit-verify-result">
          {verdict(result)}
        </Alert>
      )}
    </div>
  );
}
