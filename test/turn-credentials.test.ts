import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { turnCredential } from "../src/server/modules/calls/ice-servers";
import { createTestApp, type TestApp } from "./helpers/app";
import { allocateRelay, type Coturn, coturnAvailable, startCoturn } from "./helpers/coturn";

// CI installs coturn, so there a missing turnserver is a failure, not a skip.
if (!coturnAvailable && process.env.CI)
  throw new Error("CI=true but turnserver/turnutils_uclient are not installed (Debian package coturn)");
if (!coturnAvailable)
  console.log("TURN credentials: turnserver is not installed (apt-get install coturn); skipping");

describe.skipIf(!coturnAvailable)("TURN credentials checked by a real coturn (use-auth-secret)", () => {
  let t: TestApp;
  let turn: Coturn;
  const tok: Record<string, string> = {};
  let johnId = "";
  let turnUrl = "";

  beforeAll(async () => {
    turn = await startCoturn();
    turnUrl = `turn:${turn.host}:${turn.port}`;
    // The platform's own TURN (env vars) is the same coturn under a distinguishable URL; tenants without ICE
    // settings (globex) get only that one.
    t = await createTestApp({
      env: {
        TURN_CREDENTIAL_TTL_SECONDS: "600",
        TURN_URLS: `${turnUrl}?transport=udp`,
        TURN_SECRET: turn.secret,
      },
    });
    tok.john = await t.login("john@acme.test", "acme");
    tok.marge = await t.login("marge@globex.test", "globex");
    tok.root = await t.login("root@switchboard.test", null);
    johnId = (await t.api("GET", "/me", { token: tok.john })).body.user.id;
    const saved = await t.api("PATCH", "/settings", {
      token: tok.root,
      headers: { "x-tenant": "acme" },
      body: { iceServers: [{ urls: turnUrl, secret: turn.secret }] },
    });
    expect(saved.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await turn?.stop();
  });

  const issued = async (who = "john", url = turnUrl) => {
    const res = await t.api("GET", "/calls/ice-servers", { token: tok[who] });
    expect(res.status).toBe(200);
    const server = res.body.iceServers.find((s: { urls: string | string[] }) =>
      [s.urls].flat().includes(url),
    );
    expect(server).toBeDefined();
    return server as { urls: string; username: string; credential: string };
  };

  it("coturn accepts the credential GET /calls/ice-servers hands a signed-in customer, and relays data", async () => {
    const { username, credential } = await issued();
    const [expiry, user] = username.split(":");
    expect(user).toBe(johnId);
    expect(Number(expiry)).toBeGreaterThan(Date.now() / 1000 + 500);
    const result = await allocateRelay(turn, username, credential);
    expect(result.output).toMatch(/Received relay addr: 127\.0\.0\.1:\d+/);
    expect(result.ok, result.output).toBe(true);
  }, 30_000);

  it("the platform-wide TURN_URLS/TURN_SECRET entry works the same for a tenant without ICE settings", async () => {
    const res = await t.api("GET", "/calls/ice-servers", { token: tok.marge });
    expect(res.body.iceServers).toHaveLength(1);
    // Without TURN_RELAY_ONLY browsers may still connect directly.
    expect(res.body.iceTransportPolicy).toBe("all");
    const { username, credential } = await issued("marge", `${turnUrl}?transport=udp`);
    const result = await allocateRelay(turn, username, credential);
    expect(result.ok, result.output).toBe(true);
  }, 30_000);

  it("coturn refuses an expired credential signed with the right secret", async () => {
    const expired = turnCredential(turn.secret, johnId, Math.floor(Date.now() / 1000) - 60);
    const result = await allocateRelay(turn, expired.username, expired.credential);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("Cannot complete Allocation");
    expect(result.output).not.toContain("Received relay addr");
    expect(turn.output()).toMatch(new RegExp(`user <${expired.username}>.*error 401`));
  }, 30_000);

  it("coturn refuses a credential forged with another secret, and one whose username was altered", async () => {
    const { username, credential } = await issued();
    const forged = turnCredential("not-the-shared-secret-0123", johnId, Number(username.split(":")[0]));
    expect(forged.username).toBe(username);
    const wrongSecret = await allocateRelay(turn, forged.username, forged.credential);
    expect(wrongSecret.ok).toBe(false);
    expect(wrongSecret.output).toContain("Cannot complete Allocation");

    // The issued password with a later expiry written into the username: the HMAC no longer matches.
    const stretched = `${Number(username.split(":")[0]) + 86_400}:${johnId}`;
    const altered = await allocateRelay(turn, stretched, credential);
    expect(altered.ok).toBe(false);
    expect(altered.output).not.toContain("Received relay addr");
  }, 60_000);
});
