import { CannedList } from "../admin/canned-list";
import { hasPermission } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";

/** Every staff member's own snippets, and the shared ones (changed here by team leads and above). */
export function CannedPage() {
  const me = useSignedIn();
  const manage = hasPermission(me, "canned.manage");
  return (
    <div className="stack">
      <div className="page-title">
        <h1>Canned responses</h1>
      </div>
      <CannedList
        scope="personal"
        heading="Your canned responses"
        intro="Only you see these. Type / and a shortcut in the message box to insert one; yours come before shared ones with the same shortcut."
        editable
      />
      <CannedList
        scope="tenant"
        heading="Shared canned responses"
        intro={
          manage
            ? "Everyone on the staff is offered these."
            : "Everyone on the staff is offered these; team leads and above change them."
        }
        editable={manage}
      />
    </div>
  );
}
