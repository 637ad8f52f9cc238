import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";

describe("the platform's own audit trail", () => {
  let t: TestApp;
  let root: string;
  beforeAll(async () => {
    t = await createTestApp();
    root = await t.login("root@switchboard.test", null);
  });
  afterAll(() => t.close());

  it("records tenants created and renamed by the super admin, and verifies", async () => {
    const created = await t.api("POST", "/tenants", {
      token: root,
      body: { slug: "initech", name: "Initech" },
    });
    expect(created.status).toBe(201);
    await t.api("PATCH", `/tenants/${created.body.id}`, { token: root, body: { name: "Initech Bank" } });
    const log = await t.api("GET", "/platform/audit-log", { token: root });
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action).slice(0, 2)).toEqual([
      "tenant.updated",
      "tenant.created",
    ]);
    expect(log.body.items[0]).toMatchObject({
      subjectId: created.body.id,
      oldValue: { name: "Initech" },
      newValue: { name: "Initech Bank" },
    });
    const verify = await t.api("GET", "/platform/audit-log/verify", { token: root });
    expect(verify.body).toMatchObject({ ok: true, firstTampered: null });
    expect(verify.body.checked).toBeGreaterThanOrEqual(2);
    // The tenant's own trail has its copy; the platform's entries never show in a tenant's trail.
    const admin = await t.login("admin@acme.test");
    const acme = await t.api("GET", "/audit-log?action=tenant.", { token: admin });
    expect(acme.body.items.every((e: { subjectId: string }) => e.subjectId !== created.body.id)).toBe(true);
  });

  it("is for super admins only", async () => {
    const admin = await t.login("admin@acme.test");
    expect((await t.api("GET", "/platform/audit-log", { token: admin })).status).toBe(403);
    expect((await t.api("GET", "/platform/audit-log/verify", { token: admin })).status).toBe(403);
  });
});
