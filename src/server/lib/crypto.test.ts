import { describe, expect, it } from "vitest";
import { canonicalJson, newToken, redact, safeEqual, sha256 } from "./crypto";

describe("canonicalJson", () => {
  it("is the same whatever order the keys were written in, at every depth", () => {
    const a = {
      name: "Night Shift",
      lead: { id: "u1", name: "Tom" },
      members: [{ id: "u2", role: "agent" }],
      size: 2,
    };
    const b = {
      size: 2,
      members: [{ role: "agent", id: "u2" }],
      lead: { name: "Tom", id: "u1" },
      name: "Night Shift",
    };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"lead":{"id":"u1","name":"Tom"},"members":[{"id":"u2","role":"agent"}],"name":"Night Shift","size":2}',
    );
  });

  it("survives a round trip through a store that reorders keys (as jsonb does)", () => {
    const value = {
      zeta: [3, 1, 2],
      alpha: { longerKey: true, k: null },
      "": "empty key",
      ünï: 'côdé "quoted" \n',
    };
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(value).reverse())));
    expect(canonicalJson(reordered)).toBe(canonicalJson(value));
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it("keeps array order and tells different values apart", () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({ b: null }));
    expect(canonicalJson({ a: { b: 1 } })).not.toBe(canonicalJson({ "a.b": 1 }));
  });

  it("drops undefined properties like JSON does, and writes dates as ISO strings", () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson(null)).toBe("null");
    const at = new Date("2024-05-01T09:30:00.123Z");
    expect(canonicalJson({ at })).toBe('{"at":"2024-05-01T09:30:00.123Z"}');
    // Stored and read back, a date is its ISO string, and must hash the same.
    expect(canonicalJson({ at })).toBe(canonicalJson(JSON.parse(JSON.stringify({ at }))));
  });

  it("orders keys by code unit, independent of locale", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4 })).toBe('{"B":2,"_":4,"a":3,"b":1}');
  });
});

describe("redact", () => {
  it("removes password, token, secret, hash and credential keys at any depth, in objects and arrays", () => {
    const input = {
      name: "Ana Lima",
      email: "ana@acme.test",
      password: "correct horse battery",
      passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$abc",
      profile: {
        token: "sbs_abc",
        tokenHash: "deadbeef",
        settings: {
          iceServers: [{ urls: "turn:turn.acme.test", username: "acme", credential: "t0p-secret" }],
        },
      },
      integrations: [{ name: "Nightly report", apiToken: "sbt_xyz" }],
      headers: { Authorization: "Bearer sbs_abc", Cookie: "sb_session=sbs_abc", "user-agent": "curl/8" },
      turnSecret: "shh",
      Password: "Upper case too",
    };
    const out = redact(input);
    expect(out).toEqual({
      name: "Ana Lima",
      email: "ana@acme.test",
      profile: { settings: { iceServers: [{ urls: "turn:turn.acme.test", username: "acme" }] } },
      integrations: [{ name: "Nightly report" }],
      headers: { "user-agent": "curl/8" },
    });
    const text = JSON.stringify(out);
    for (const secret of ["correct horse", "argon2", "sbs_", "sbt_", "deadbeef", "t0p-secret", "shh"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("leaves the input untouched and keeps dates, primitives and empty values as they are", () => {
    const at = new Date("2024-05-01T09:30:00Z");
    const input = { password: "x", at, nested: { secret: "y", keep: [1, "two", null, true] } };
    const copy = structuredClone(input);
    const out = redact(input);
    expect(input).toEqual(copy);
    expect(out).toEqual({ at, nested: { keep: [1, "two", null, true] } });
    expect(out.at).toBeInstanceOf(Date);
    expect(redact("plain")).toBe("plain");
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
    expect(redact(undefined)).toBeUndefined();
    expect(redact([])).toEqual([]);
    expect(redact({})).toEqual({});
  });
});

describe("tokens and hashes", () => {
  it("newToken has its prefix, 256 random bits, and the shape sign-in accepts", () => {
    const a = newToken("sbs");
    const b = newToken("sbs");
    expect(a).toMatch(/^sbs_[A-Za-z0-9_-]{43}$/);
    expect(newToken("sbt")).toMatch(/^sbt_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it("sha256 is the hex digest", () => {
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("switchboard")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("safeEqual compares by value, including different lengths", () => {
    expect(safeEqual("sbs_abc", "sbs_abc")).toBe(true);
    expect(safeEqual("sbs_abc", "sbs_abd")).toBe(false);
    expect(safeEqual("sbs_abc", "sbs_ab")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});
