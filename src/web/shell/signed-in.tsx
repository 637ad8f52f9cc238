import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { api, isApiError } from "../lib/api";
import { type Area, homePath, mayEnter, useMe } from "../lib/me";
import type { Me } from "../lib/types";
import { ErrorPage, LoadingPage } from "./status-pages";

const MeContext = createContext<Me | null>(null);

/** The signed-in user inside an area; RequireArea guarantees it is there. */
export function useSignedIn(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useSignedIn used outside RequireArea");
  return me;
}

/**
 * Gate for an area: strangers go to sign-in (remembering where they were going), people of another role go
 * to their own home, so a link shared between roles never shows a broken page.
 */
export function RequireArea({ area, children }: { area: Area; children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (isApiError(me.error, 401)) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate replace to={`/login?next=${next}`} />;
  }
  // Any other failure with a user already known (a network blip on refetch) keeps the page working.
  if (!me.data)
    return me.isError ? <ErrorPage error={me.error} onRetry={() => me.refetch()} /> : <LoadingPage />;
  if (!mayEnter(area, me.data.user.role)) return <Navigate replace to={homePath(me.data.user.role)} />;
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}

/** "/" sends each person to their home, or to sign-in. */
export function HomeRedirect() {
  const me = useMe();
  if (isApiError(me.error, 401)) return <Navigate replace to="/login" />;
  if (!me.data)
    return me.isError ? <ErrorPage error={me.error} onRetry={() => me.refetch()} /> : <LoadingPage />;
  return <Navigate replace to={homePath(me.data.user.role)} />;
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useContext(MeContext);
  return useMutation({
    mutationFn: () => api.post<unknown>("/auth/logout"),
    // Leave even when the session had already ended server-side: the user asked to be signed out.
    onSettled: () => {
      const slug = me?.tenant?.slug;
      // Forget every cached answer so the next person on this browser sees nothing of this one.
      queryClient.removeQueries();
      navigate(slug ? `/login?tenant=${encodeURIComponent(slug)}` : "/login", { replace: true });
    },
  });
}
