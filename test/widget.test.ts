import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants, users } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { widgetSignature } from "../src/server/modules/widget/widget.routes";
import { createTestApp, type TestApp } from "./helpers/app";

describe("chat widget identities", () => {
  let t: TestApp;
  let secret: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.login("admin@acme.test");
    const settings = await t.api("GET", "/settings/widget", { token: admin });
    expect(settings.status).toBe(200);
    expect(settings.body.snippet).toContain('data-tenant="acme"');
    secret = settings.body.secret;
  });
  afterAll(() => t.close());

  it("an anonymous visitor becomes a lead with a session that can start a chat", async () => {
    const res = await t.api("POST", "/widget/session", {
      body: { tenant: "acme", name: "Nadia Visitor", email: "nadia@visitor.test" },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: "customer", email: "nadia@visitor.test" });
    const [row] = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.email, "nadia@visitor.test")),
    );
    expect(row!.leadStatus).toBe("new");
    expect(row!.passwordHash).toBeNull();
    const chat = await t.api("POST", "/conversations", {
      token: res.body.token,
      body: { message: "Do you offer business accounts?" },
    });
    expect(chat.status).toBe(201);
  });

  it("a known email never opens someone's history", async () => {
    const res = await t.api("POST", "/widget/session", {
      body: { tenant: "acme", name: "Not John", email: "john@acme.test" },
    });
    expect(res.status).toBe(409);
    const again = await t.api("POST", "/widget/session", {
      body: { tenant: "acme", name: "Nadia Again", email: "nadia@visitor.test" },
    });
    expect(again.status).toBe(409);
    expect(
      (await t.api("POST", "/widget/session", { body: { tenant: "nowhere", name: "X", email: "x@x.test" } }))
        .status,
    ).toBe(404);
    expect(
      (await t.api("POST", "/widget/session", { body: { tenant: "acme", name: "", email: "nope" } })).status,
    ).toBe(400);
  });

  it("a host site identifies its signed-in user with a fresh signature", async () => {
    const timestamp = now();
    const body = {
      tenant: "acme",
      externalId: "crm-1042",
      name: "Rita Ora",
      email: "rita@acme.test",
      timestamp,
      signature: widgetSignature(secret, "crm-1042", timestamp),
    };
    const first = await t.api("POST", "/widget/identify", { body });
    expect(first.status).toBe(200);
    const second = await t.api("POST", "/widget/identify", { body });
    expect(second.body.user.id).toBe(first.body.user.id);
    // An existing customer is linked by email the first time their site vouches for them.
    const ts = now();
    const john = await t.api("POST", "/widget/identify", {
      body: {
        tenant: "acme",
        externalId: "crm-7",
        name: "John Doe",
        email: "john@acme.test",
        timestamp: ts,
        signature: widgetSignature(secret, "crm-7", ts),
      },
    });
    expect(john.status).toBe(200);
    expect(john.body.user.email).toBe("john@acme.test");
  });

  it("refuses forged, stale, cross-tenant and staff identities", async () => {
    const ts = now();
    const base = { tenant: "acme", externalId: "crm-9", name: "Mallory", email: "mallory@acme.test" };
    const forged = await t.api("POST", "/widget/identify", {
      body: { ...base, timestamp: ts, signature: widgetSignature("not-the-secret", "crm-9", ts) },
    });
    expect(forged.status).toBe(401);
    const old = ts - 3600;
    const stale = await t.api("POST", "/widget/identify", {
      body: { ...base, timestamp: old, signature: widgetSignature(secret, "crm-9", old) },
    });
    expect(stale.status).toBe(401);
    const otherId = await t.api("POST", "/widget/identify", {
      body: { ...base, externalId: "crm-10", timestamp: ts, signature: widgetSignature(secret, "crm-9", ts) },
    });
    expect(otherId.status).toBe(401);
    const globex = await t.api("POST", "/widget/identify", {
      body: { ...base, tenant: "globex", timestamp: ts, signature: widgetSignature(secret, "crm-9", ts) },
    });
    expect(globex.status).toBe(401);
    const staff = await t.api("POST", "/widget/identify", {
      body: {
        ...base,
        email: "sarah@acme.test",
        timestamp: ts,
        signature: widgetSignature(secret, "crm-9", ts),
      },
    });
    expect(staff.status).toBe(409);
    const created = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.email, "mallory@acme.test")),
    );
    expect(created).toEqual([]);
  });

  it("rotating the secret invalidates old signatures; only admins see it", async () => {
    const admin = await t.login("admin@acme.test");
    const rotated = await t.api("POST", "/settings/widget/rotate", { token: admin });
    expect(rotated.body.secret).not.toBe(secret);
    const ts = now();
    const old = await t.api("POST", "/widget/identify", {
      body: {
        tenant: "acme",
        externalId: "crm-1042",
        name: "Rita Ora",
        email: "rita@acme.test",
        timestamp: ts,
        signature: widgetSignature(secret, "crm-1042", ts),
      },
    });
    expect(old.status).toBe(401);
    const [row] = await inSystem(t.database.db, (tx) =>
      tx.select().from(tenants).where(eq(tenants.slug, "acme")),
    );
    expect(row!.widgetSecret).toBe(rotated.body.secret);
    expect((await t.api("GET", "/settings/widget", { token: await t.login("sarah@acme.test") })).status).toBe(
      403,
    );
    secret = rotated.body.secret;
  });
});
