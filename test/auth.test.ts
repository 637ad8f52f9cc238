import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, sessions } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { sha256 } from "../src/server/lib/crypto";
import { createTestApp, type TestApp } from "./helpers/app";

const cookieOf = (headers: Record<string, unknown>) => String(headers["set-cookie"]).split(";")[0]!;

describe("sign-up, sign-in and sessions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("a customer signs up to a tenant, gets a session cookie and a bearer token for the same session", async () => {
    const res = await t.api("POST", "/auth/signup", {
      body: { tenant: "acme", email: "Ana@Acme.test", password: "correct horse battery", name: "Ana Lima" },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: "ana@acme.test", name: "Ana Lima", role: "customer" });
    expect(res.body.user).not.toHaveProperty("passwordHash");
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toMatch(/^sb_session=sbs_/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const viaCookie = await t.api("GET", "/me", { headers: { cookie: cookieOf(res.headers) } });
    const viaBearer = await t.api("GET", "/me", { token: res.body.token });
    expect(viaCookie.status).toBe(200);
    expect(viaBearer.body).toEqual(viaCookie.body);
    expect(viaBearer.body.tenant.slug).toBe("acme");
    expect(viaBearer.body.permissions).toContain("own.chats");
    expect(viaBearer.body.permissions).not.toContain("queue.view");
  });

  it("refuses a second account with the same email, an unknown tenant and bad fields, creating nothing", async () => {
    const dup = await t.api("POST", "/auth/signup", {
      body: { tenant: "acme", email: "john@acme.test", password: "another password", name: "John Again" },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.fields.email).toBeDefined();
    const unknown = await t.api("POST", "/auth/signup", {
      body: { tenant: "initech", email: "peter@initech.test", password: "another password", name: "Peter" },
    });
    expect(unknown.status).toBe(404);
    const bad = await t.api("POST", "/auth/signup", {
      body: { tenant: "acme", email: "not-an-email", password: "short", name: "" },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(["email", "name", "password"]);
    const stillOne = await t.api("POST", "/auth/login", {
      body: { tenant: "acme", email: "john@acme.test", password: "another password" },
    });
    expect(stillOne.status).toBe(401);
  });

  it("the same email in another tenant is another account", async () => {
    const res = await t.api("POST", "/auth/signup", {
      body: {
        tenant: "globex",
        email: "john@acme.test",
        password: "globex password",
        name: "John of Globex",
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.user.tenantId).not.toBe(
      (await t.api("GET", "/me", { token: await t.login("john@acme.test") })).body.user.tenantId,
    );
  });

  it("a wrong password and an unknown email fail alike", async () => {
    const wrong = await t.api("POST", "/auth/login", {
      body: { tenant: "acme", email: "jane@acme.test", password: "nope-nope-nope" },
    });
    const nobody = await t.api("POST", "/auth/login", {
      body: { tenant: "acme", email: "ghost@acme.test", password: "nope-nope-nope" },
    });
    const noTenant = await t.api("POST", "/auth/login", {
      body: { tenant: "nowhere", email: "jane@acme.test", password: "nope-nope-nope" },
    });
    for (const res of [wrong, nobody, noTenant]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(wrong.body);
    }
  });

  it("logout ends the session at once", async () => {
    const token = await t.login("bob@acme.test");
    expect((await t.api("GET", "/me", { token })).status).toBe(200);
    expect((await t.api("POST", "/auth/logout", { token })).status).toBe(200);
    const after = await t.api("GET", "/me", { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthenticated");
  });

  it("an expired or revoked session, or a forged token, is refused", async () => {
    const expiring = await t.login("jane@acme.test");
    await inSystem(t.database.db, (tx) =>
      tx
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(sessions.tokenHash, sha256(expiring))),
    );
    expect((await t.api("GET", "/me", { token: expiring })).status).toBe(401);

    const first = await t.login("jane@acme.test");
    const second = await t.login("jane@acme.test");
    const list = await t.api("GET", "/me/sessions", { token: second });
    const other = list.body.items.find((s: { current: boolean }) => !s.current);
    expect(list.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    // Revoke every other session; the first one must stop working.
    for (const s of list.body.items.filter((x: { current: boolean }) => !x.current)) {
      expect((await t.api("DELETE", `/me/sessions/${s.id}`, { token: second })).status).toBe(200);
    }
    expect(other).toBeDefined();
    expect((await t.api("GET", "/me", { token: first })).status).toBe(401);
    expect((await t.api("GET", "/me", { token: second })).status).toBe(200);
    expect((await t.api("GET", "/me", { token: `${second.slice(0, -4)}AAAA` })).status).toBe(401);
    expect((await t.api("GET", "/me", { token: "garbage" })).status).toBe(401);
  });

  it("personal API tokens are shown once, stored hashed, work as bearer and can be revoked", async () => {
    const session = await t.login("sarah@acme.test");
    const created = await t.api("POST", "/me/tokens", {
      token: session,
      body: { name: "Nightly export", expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.token;
    expect(secret).toMatch(/^sbt_/);
    const list = await t.api("GET", "/me/tokens", { token: session });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.items[0]).toMatchObject({ name: "Nightly export", prefix: secret.slice(0, 10) });
    const stored = await inSystem(t.database.db, (tx) =>
      tx.select().from(apiTokens).where(eq(apiTokens.id, created.body.id)),
    );
    expect(stored[0]!.tokenHash).toBe(sha256(secret));
    expect(JSON.stringify(stored)).not.toContain(secret);
    const me = await t.api("GET", "/me", { token: secret });
    expect(me.body.user.email).toBe("sarah@acme.test");
    expect((await t.api("DELETE", `/me/tokens/${created.body.id}`, { token: session })).status).toBe(200);
    expect((await t.api("GET", "/me", { token: secret })).status).toBe(401);
    expect((await t.api("DELETE", `/me/tokens/${created.body.id}`, { token: session })).status).toBe(404);
  });

  it("an expired API token is refused", async () => {
    const session = await t.login("mike@acme.test");
    const created = await t.api("POST", "/me/tokens", {
      token: session,
      body: { name: "Short lived", expiresInDays: 1 },
    });
    await inSystem(t.database.db, (tx) =>
      tx
        .update(apiTokens)
        .set({ expiresAt: new Date(Date.now() - 1) })
        .where(eq(apiTokens.id, created.body.id)),
    );
    expect((await t.api("GET", "/me", { token: created.body.token })).status).toBe(401);
  });

  it("refuses state changes sent with the cookie from another site, but not bearer requests", async () => {
    const login = await t.api("POST", "/auth/login", {
      body: { tenant: "acme", email: "sarah@acme.test", password: "demo-password-1" },
    });
    const cookie = cookieOf(login.headers);
    const body = { status: "online" };
    const crossOrigin = await t.api("PATCH", "/me/availability", {
      body,
      headers: { cookie, origin: "http://evil.test" },
    });
    expect(crossOrigin.status).toBe(403);
    const crossSite = await t.api("PATCH", "/me/availability", {
      body: { status: "away" },
      headers: { cookie, "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect((await t.api("GET", "/me", { headers: { cookie } })).body.user.availability).toBe("offline");
    const sameOrigin = await t.api("PATCH", "/me/availability", {
      body,
      headers: { cookie, origin: t.config.publicUrl, "sec-fetch-site": "same-origin" },
    });
    expect(sameOrigin.status).toBe(200);
    const bearer = await t.api("PATCH", "/me/availability", {
      body: { status: "away" },
      token: login.body.token,
      headers: { origin: "http://evil.test" },
    });
    expect(bearer.status).toBe(200);
  });

  it("a super admin signs in without a tenant and acts in one with X-Tenant", async () => {
    const token = await t.login("root@switchboard.test", null);
    const me = await t.api("GET", "/me", { token });
    expect(me.body).toMatchObject({ tenant: null, user: { role: "super_admin", tenantId: null } });
    const without = await t.api("GET", "/staff", { token });
    expect(without.status).toBe(400);
    expect(without.body.error.code).toBe("tenant_required");
    const acme = await t.api("GET", "/staff", { token, headers: { "x-tenant": "acme" } });
    expect(acme.status).toBe(200);
    expect(acme.body.items.map((s: { email: string }) => s.email)).toContain("sarah@acme.test");
    expect((await t.api("GET", "/staff", { token, headers: { "x-tenant": "initech" } })).status).toBe(404);
    // X-Tenant means nothing coming from anyone else.
    const admin = await t.login("admin@globex.test", "globex");
    const globex = await t.api("GET", "/staff", { token: admin, headers: { "x-tenant": "acme" } });
    expect(globex.body.items.map((s: { email: string }) => s.email)).not.toContain("sarah@acme.test");
  });
});

describe("sign-in throttling", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("locks an account after five failures, even for the right password, with Retry-After", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.api("POST", "/auth/login", {
        body: { tenant: "acme", email: "jane@acme.test", password: `guess-${i}-guess` },
      });
      expect(res.status).toBe(401);
    }
    const locked = await t.api("POST", "/auth/login", {
      body: { tenant: "acme", email: "jane@acme.test", password: "demo-password-1" },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("rate_limited");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    // Other accounts from elsewhere are not affected by this account's lock.
    expect(
      (
        await t.api("POST", "/auth/login", {
          body: { tenant: "acme", email: "bob@acme.test", password: "demo-password-1" },
          headers: { "x-forwarded-for": "203.0.113.9" },
        })
      ).status,
    ).toBe(200);
  });

  it("throttles one address trying many accounts", async () => {
    const headers = { "x-forwarded-for": "198.51.100.7" };
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const res = await t.api("POST", "/auth/login", {
        headers,
        body: { tenant: "acme", email: `nobody${i}@acme.test`, password: "wrong-password" },
      });
      last = res.status;
    }
    expect(last).toBe(429);
  });
});
