import { useQuery } from "@tanstack/react-query";
import type { Permission, Role } from "../../protocol/roles";
import { api } from "./api";
import type { Me } from "./types";

export const meKey = ["me"] as const;

export function fetchMe(): Promise<Me> {
  return api.get<Me>("/me");
}

/** The signed-in user, tenant and permissions; a 401 is an answer ("nobody"), which the client never retries. */
export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000 });
}

/** Permissions come from the server's /me so the UI never disagrees with what the API will allow. */
export function hasPermission(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}

/** The console's Calls page: for those who answer calls and those who see every call. */
export const mayOpenCalls = (me: Me): boolean =>
  hasPermission(me, "calls.answer") || hasPermission(me, "chats.all");

export const areas = ["portal", "console", "admin", "platform"] as const;
export type Area = (typeof areas)[number];

export function homeArea(role: Role): Area {
  switch (role) {
    case "customer":
      return "portal";
    case "admin":
      return "admin";
    case "super_admin":
      return "platform";
    default:
      return "console";
  }
}

export function homePath(role: Role): string {
  return `/${homeArea(role)}`;
}

/**
 * Which roles may enter an area at all. Inside /admin a finer check (each tab's permission) shows a 403 page
 * instead of a redirect, so a supervisor following a link learns why rather than bouncing.
 */
export function mayEnter(area: Area, role: Role): boolean {
  switch (area) {
    case "portal":
      return role === "customer";
    case "console":
    case "admin":
      // A super admin has no tenant of its own, so tenant screens would be empty for them.
      return role !== "customer" && role !== "super_admin";
    case "platform":
      return role === "super_admin";
  }
}

/** Only same-app paths are followed after sign-in, so ?next= cannot send anyone to another site. */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  return next;
}

/** Where to go after signing in: the requested page if this role may see its area, else the role's home. */
export function landingPath(role: Role, next: string | null): string {
  const target = safeNext(next);
  if (target) {
    const segment = target.split(/[/?#]/)[1];
    const area = areas.find((a) => a === segment);
    if (area && mayEnter(area, role)) return target;
  }
  return homePath(role);
}
