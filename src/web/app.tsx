import { Route, Routes } from "react-router-dom";
import { AdminArea } from "./admin/admin-area";
import { LoginPage } from "./auth/login-page";
import { SignupPage } from "./auth/signup-page";
import { ConsoleArea } from "./console/console-area";
import { PlatformArea } from "./platform/platform-area";
import { PortalArea } from "./portal/portal-area";
import { HomeRedirect, RequireArea } from "./shell/signed-in";
import { NotFoundPage } from "./shell/status-pages";
import { WidgetPage } from "./widget/widget-page";

/** One page per audience; each area checks who may enter before anything inside it loads. */
export function App() {
  return (
    <Routes>
      <Route path="/" element={<HomeRedirect />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      {/* The embedded chat: its own visitor token, no cookie session, so no area guard. */}
      <Route path="/widget" element={<WidgetPage />} />
      <Route
        path="/portal/*"
        element={
          <RequireArea area="portal">
            <PortalArea />
          </RequireArea>
        }
      />
      <Route
        path="/console/*"
        element={
          <RequireArea area="console">
            <ConsoleArea />
          </RequireArea>
        }
      />
      <Route
        path="/admin/*"
        element={
          <RequireArea area="admin">
            <AdminArea />
          </RequireArea>
        }
      />
      <Route
        path="/platform/*"
        element={
          <RequireArea area="platform">
            <PlatformArea />
          </RequireArea>
        }
      />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
