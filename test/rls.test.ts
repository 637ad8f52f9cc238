import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/server/db/client";
import { activity, apiTokens, sessions, teams, tenants, users } from "../src/server/db/schema";
import { inSystem, inTenant } from "../src/server/db/tenant-scope";
import { createTestApp, type TestApp } from "./helpers/app";

/**
 * Row-level security is the second wall: these queries deliberately leave out the tenant filter that code always
 * adds, and PostgreSQL must still keep Globex's rows out of Acme's transaction.
 */
describe("row-level security", () => {
  let t: TestApp;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    t = await createTestApp();
    // Sessions and tokens exist in both tenants.
    for (const [email, tenant] of [
      ["sarah@acme.test", "acme"],
      ["homer@globex.test", "globex"],
    ] as const) {
      const token = await t.login(email, tenant);
      expect((await t.api("POST", "/me/tokens", { token, body: { name: "Reporting script" } })).status).toBe(
        201,
      );
    }
    const rows = await inSystem(t.database.db, (tx) => tx.select().from(tenants));
    acme = rows.find((r) => r.slug === "acme")!.id;
    globex = rows.find((r) => r.slug === "globex")!.id;
  });
  afterAll(() => t.close());

  it(`runs as a role that owns no table (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, async () => {
    const [who] = await inTenant(t.database.db, acme, (tx) =>
      queryRows(tx, sql`select current_user as role, current_setting('app.tenant_id') as tenant`),
    );
    expect(who).toEqual({ role: "switchboard_app", tenant: acme });
    const owners = await inSystem(t.database.db, (tx) =>
      queryRows<{ tablename: string; tableowner: string; rowsecurity: boolean; forcerowsecurity: boolean }>(
        tx,
        sql`select tablename, tableowner, rowsecurity, relforcerowsecurity as forcerowsecurity from pg_tables t join pg_class c on c.relname = t.tablename where schemaname = 'public' and tablename not like '%migrations%'`,
      ),
    );
    for (const row of owners) {
      expect(row.tableowner, row.tablename).not.toBe("switchboard_app");
      expect(row.rowsecurity && row.forcerowsecurity, `${row.tablename} forces row-level security`).toBe(
        true,
      );
    }
  });

  it("a select without a tenant filter sees only the transaction's tenant", async () => {
    for (const table of [users, teams, sessions, apiTokens, activity] as const) {
      const rows = await inTenant(t.database.db, acme, (tx) =>
        tx.select({ tenantId: table.tenantId }).from(table),
      );
      expect(rows.length, "Acme has rows").toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([acme]));
    }
    const visibleTenants = await inTenant(t.database.db, acme, (tx) => tx.select().from(tenants));
    expect(visibleTenants.map((r) => r.slug)).toEqual(["acme"]);
  });

  it("a select that names the other tenant's rows explicitly still gets nothing", async () => {
    const rows = await inTenant(t.database.db, acme, (tx) =>
      tx.select().from(users).where(eq(users.tenantId, globex)),
    );
    expect(rows).toEqual([]);
    const platform = await inTenant(t.database.db, acme, (tx) =>
      tx.select().from(users).where(eq(users.role, "super_admin")),
    );
    expect(platform).toEqual([]);
  });

  it("an update or delete without a tenant filter changes only the transaction's tenant", async () => {
    const updated = await inTenant(t.database.db, acme, (tx) =>
      tx
        .update(users)
        .set({ lastSeenAt: new Date(0) })
        .returning({ tenantId: users.tenantId }),
    );
    expect(new Set(updated.map((r) => r.tenantId))).toEqual(new Set([acme]));
    const deleted = await inTenant(t.database.db, acme, (tx) =>
      tx.delete(teams).where(eq(teams.tenantId, globex)).returning(),
    );
    expect(deleted).toEqual([]);
    const globexTeams = await inSystem(t.database.db, (tx) =>
      tx.select().from(teams).where(eq(teams.tenantId, globex)),
    );
    expect(globexTeams).toHaveLength(1);
    const globexUsers = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.tenantId, globex)),
    );
    expect(globexUsers.every((u) => u.lastSeenAt === null || u.lastSeenAt.getTime() !== 0)).toBe(true);
  });

  it("refuses to write a row into another tenant", async () => {
    await expect(
      inTenant(t.database.db, acme, (tx) =>
        tx.insert(users).values({ tenantId: globex, email: "mole@acme.test", name: "Mole", role: "agent" }),
      ),
    ).rejects.toThrow();
    await expect(
      inTenant(t.database.db, acme, (tx) =>
        tx.update(users).set({ tenantId: globex }).where(eq(users.email, "sarah@acme.test")),
      ),
    ).rejects.toThrow();
    const moved = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.email, "sarah@acme.test")),
    );
    expect(moved[0]!.tenantId).toBe(acme);
  });

  it("a transaction that never names a tenant sees nothing", async () => {
    const rows = await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'switchboard_app', true)`);
      return tx.select().from(users);
    });
    expect(rows).toEqual([]);
  });

  it("the audit trail is append-only for the application", async () => {
    await expect(
      inTenant(t.database.db, acme, (tx) => tx.update(activity).set({ action: "forged" })),
    ).rejects.toThrow();
    await expect(inTenant(t.database.db, acme, (tx) => tx.delete(activity))).rejects.toThrow();
  });

  it("the API answers 404 for another tenant's things", async () => {
    const [homer] = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.email, "homer@globex.test")),
    );
    const admin = await t.login("admin@acme.test");
    const res = await t.api("PATCH", `/staff/${homer!.id}`, { token: admin, body: { name: "Renamed" } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    const [after] = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.id, homer!.id)),
    );
    expect(after!.name).toBe("Homer Simpson");
  });
});
