import { hasPermission } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";
import { CannedList } from "./canned-list";

/** The canned responses every staff member is offered after `/` in the message box. */
export function CannedTab() {
  const me = useSignedIn();
  return (
    <CannedList
      scope="tenant"
      heading="Canned responses"
      intro="Shared with all staff: typing / and a shortcut in the message box inserts the text, with variables such as {{customer.firstName}} filled in."
      editable={hasPermission(me, "canned.manage")}
    />
  );
}
