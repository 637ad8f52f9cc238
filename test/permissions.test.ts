import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "../src/protocol/roles";
import { envSchema } from "../src/server/config";
import { allows, permissionTable, tableEnd, tableStart } from "../src/server/lib/permission-table";
import { createTestApp, type TestApp } from "./helpers/app";

const signIns: Record<Role, [string, string | null]> = {
  customer: ["john@acme.test", "acme"],
  agent: ["sarah@acme.test", "acme"],
  team_lead: ["lead@acme.test", "acme"],
  supervisor: ["supervisor@acme.test", "acme"],
  admin: ["admin@acme.test", "acme"],
  super_admin: ["root@switchboard.test", null],
};
const platformAccess = new Set(["tenants.manage", "platform.audit"]);
const unknownId = "00000000-0000-4000-8000-000000000000";

describe("permission matrix", () => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of roles) tokens[role] = await t.login(...signIns[role]);
  });
  afterAll(() => t.close());

  it("the README's table is the one the routes declare", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme
      .slice(readme.indexOf(tableStart) + tableStart.length, readme.indexOf(tableEnd))
      .trim();
    expect(section).toBe(permissionTable(t.app.routeTable));
  });

  it("the README names every environment variable", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const name of Object.keys(envSchema.shape)) expect(readme).toContain(`| \`${name}\` |`);
  });

  it("every route declares who may call it", () => {
    const undeclared = t.app.routeTable.filter((r) => !r.access).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    expect(t.app.routeTable.length).toBeGreaterThan(20);
  });

  it("walks every route as every role and as nobody, allowed or refused as the table says", async () => {
    const outcomes: string[] = [];
    for (const route of t.app.routeTable) {
      if (route.url.endsWith("/openapi.json")) continue;
      const path = route.url.replace("/api/v1", "").replace(/:[a-zA-Z]+/g, unknownId);
      const body = ["POST", "PATCH", "PUT"].includes(route.method) ? {} : undefined;
      for (const role of [...roles, null]) {
        const expected = allows(route.access, role);
        let token = role ? tokens[role] : undefined;
        // Signing out ends the session; use a throwaway one so the walk can go on.
        if (role && route.url.endsWith("/auth/logout")) token = await t.login(...signIns[role]);
        const headers: Record<string, string> =
          role === "super_admin" && !platformAccess.has(String(route.access)) ? { "x-tenant": "acme" } : {};
        const res = await t.api(route.method, path, { token, body, headers });
        const refusedWith = role ? 403 : 401;
        const ok = expected
          ? res.status !== 401 && res.status !== 403 && res.status < 500
          : res.status === refusedWith;
        outcomes.push(`${ok ? "ok" : "WRONG"} ${route.method} ${path} as ${role ?? "nobody"}: ${res.status}`);
      }
    }
    expect(outcomes.filter((o) => o.startsWith("WRONG"))).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(100);
  });
});
