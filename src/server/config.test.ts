import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const secret = "a-session-secret-of-at-least-32-chars!";
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-config-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Loads with exactly these variables (never the test runner's own environment) and returns the error. */
function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: tempDir(), SESSION_SECRET: secret, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

describe("loadConfig", () => {
  it("has a default for everything but the data directory's secret", () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      publicUrl: "http://localhost:3000",
      secureCookies: false,
      dataDir: resolve(dir),
      databaseUrl: undefined,
      redisUrl: undefined,
      sessionTtlMs: 7 * 24 * 3600_000,
      smtpUrl: undefined,
      mailFrom: "Switchboard <no-reply@switchboard.local>",
      turnSecret: undefined,
      turnUrls: [],
      turnCredentialTtlSeconds: 3600,
      turnRelayOnly: false,
      logLevel: "info",
      seedDemo: true,
    });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("reads every variable it documents", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      PUBLIC_URL: "https://support.acme.test/",
      DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://switchboard:pw@db.acme.test:5432/switchboard",
      REDIS_URL: "rediss://cache.acme.test:6380",
      SESSION_SECRET: secret,
      SESSION_TTL_HOURS: "12",
      SMTP_URL: "smtps://mail.acme.test:465",
      MAIL_FROM: "Acme Support <support@acme.test>",
      TURN_SECRET: "a-turn-secret-long-enough",
      TURN_URLS: "turn:turn.acme.test:3478, turns:turn.acme.test:5349,stun:stun.acme.test",
      TURN_CREDENTIAL_TTL_SECONDS: "900",
      TURN_RELAY_ONLY: "true",
      LOG_LEVEL: "debug",
      SEED_DEMO: "never",
    });
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      publicUrl: "https://support.acme.test",
      databaseUrl: "postgres://switchboard:pw@db.acme.test:5432/switchboard",
      redisUrl: "rediss://cache.acme.test:6380",
      sessionSecret: secret,
      sessionTtlMs: 12 * 3600_000,
      smtpUrl: "smtps://mail.acme.test:465",
      mailFrom: "Acme Support <support@acme.test>",
      turnSecret: "a-turn-secret-long-enough",
      turnUrls: ["turn:turn.acme.test:3478", "turns:turn.acme.test:5349", "stun:stun.acme.test"],
      turnCredentialTtlSeconds: 900,
      turnRelayOnly: true,
      logLevel: "debug",
      seedDemo: false,
    });
  });

  it("an https public address makes cookies Secure; http does not", () => {
    const https = loadConfig({
      DATA_DIR: tempDir(),
      SESSION_SECRET: secret,
      PUBLIC_URL: "https://support.acme.test",
    });
    expect(https.secureCookies).toBe(true);
    const http = loadConfig({
      DATA_DIR: tempDir(),
      SESSION_SECRET: secret,
      PUBLIC_URL: "http://support.acme.test",
    });
    expect(http.secureCookies).toBe(false);
    expect(loadConfig({ DATA_DIR: tempDir(), SESSION_SECRET: secret, PORT: "4000" }).publicUrl).toBe(
      "http://localhost:4000",
    );
  });

  it("treats an empty variable as unset", () => {
    const config = loadConfig({
      DATA_DIR: tempDir(),
      SESSION_SECRET: secret,
      PORT: "",
      DATABASE_URL: "",
      LOG_LEVEL: "",
    });
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, logLevel: "info" });
  });

  describe("a bad value stops start-up with one line naming the variable", () => {
    const cases: Array<[string, Record<string, string>]> = [
      ["PORT", { PORT: "abc" }],
      ["PORT", { PORT: "70000" }],
      ["PORT", { PORT: "80.5" }],
      ["DATABASE_URL", { DATABASE_URL: "mysql://root:hunter2@db.acme.test/switchboard" }],
      ["DATABASE_URL", { DATABASE_URL: "not a url" }],
      ["REDIS_URL", { REDIS_URL: "http://cache.acme.test:6379" }],
      ["PUBLIC_URL", { PUBLIC_URL: "support.acme.test" }],
      ["SMTP_URL", { SMTP_URL: "mail.acme.test" }],
      ["TURN_URLS", { TURN_URLS: "https://turn.acme.test" }],
      ["TURN_URLS", { TURN_URLS: "turn:turn.acme.test,, " }],
      ["TURN_SECRET", { TURN_SECRET: "short" }],
      ["TURN_CREDENTIAL_TTL_SECONDS", { TURN_CREDENTIAL_TTL_SECONDS: "10" }],
      ["LOG_LEVEL", { LOG_LEVEL: "verbose" }],
      ["SESSION_SECRET", { SESSION_SECRET: "too-short-secret" }],
      ["SESSION_TTL_HOURS", { SESSION_TTL_HOURS: "0" }],
      ["SEED_DEMO", { SEED_DEMO: "always" }],
    ];
    for (const [name, env] of cases) {
      it(`${name}=${Object.values(env)[0]}`, () => {
        const err = failure(env);
        expect(err.message.split("\n")).toHaveLength(1);
        expect(err.message).toMatch(new RegExp(`^Invalid ${name}: \\S`));
        // Other variables are not blamed.
        for (const other of [
          "PORT",
          "DATABASE_URL",
          "REDIS_URL",
          "LOG_LEVEL",
          "SESSION_SECRET",
          "TURN_URLS",
        ]) {
          if (other !== name) expect(err.message).not.toContain(other);
        }
      });
    }

    it("without repeating a secret it was given", () => {
      expect(
        failure({ DATABASE_URL: "mysql://root:hunter2@db.acme.test/switchboard" }).message,
      ).not.toContain("hunter2");
      expect(failure({ SESSION_SECRET: "too-short-secret" }).message).not.toContain("too-short-secret");
    });
  });

  describe("the session secret, when none is given", () => {
    it("is generated once into DATA_DIR, readable only by its owner, and reused on the next start", () => {
      const dir = join(tempDir(), "nested", "data");
      const first = loadConfig({ DATA_DIR: dir });
      const file = join(dir, "session-secret");
      expect(readFileSync(file, "utf8")).toBe(first.sessionSecret);
      expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
      if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);

      const second = loadConfig({ DATA_DIR: dir });
      expect(second.sessionSecret).toBe(first.sessionSecret);
      // Another data directory gets a secret of its own.
      expect(loadConfig({ DATA_DIR: tempDir() }).sessionSecret).not.toBe(first.sessionSecret);
    });

    it("a given SESSION_SECRET wins and leaves the stored one alone", () => {
      const dir = tempDir();
      const generated = loadConfig({ DATA_DIR: dir }).sessionSecret;
      expect(loadConfig({ DATA_DIR: dir, SESSION_SECRET: secret }).sessionSecret).toBe(secret);
      expect(readFileSync(join(dir, "session-secret"), "utf8")).toBe(generated);
    });

    it("an empty or cut-short secret file is an error, not a guessable secret", () => {
      for (const stored of ["", "\n", "abc123"]) {
        const dir = tempDir();
        writeFileSync(join(dir, "session-secret"), stored);
        expect(() => loadConfig({ DATA_DIR: dir })).toThrow(ConfigError);
        expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/^Invalid SESSION_SECRET: /);
        expect(readFileSync(join(dir, "session-secret"), "utf8")).toBe(stored);
      }
    });
  });
});
