import { describe, expect, it } from "vitest";
import { open, seal, uploadKey } from "./storage";

describe("upload encryption", () => {
  const key = uploadKey("test-secret-test-secret-test-secret-0123");
  const plaintext = Buffer.from("account statement for March");

  it("derives a 256-bit key that depends on the secret", () => {
    expect(key).toHaveLength(32);
    expect(uploadKey("test-secret-test-secret-test-secret-0123").equals(key)).toBe(true);
    expect(uploadKey("another-secret-another-secret-another-0").equals(key)).toBe(false);
  });

  it("uses a fresh IV each time, so the same file never encrypts the same way twice", () => {
    const a = seal(plaintext, key, "attachment:t:1");
    const b = seal(plaintext, key, "attachment:t:1");
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(open(a, key, "attachment:t:1").equals(plaintext)).toBe(true);
  });

  it("refuses a changed byte, a changed tag, another file's context or another key", () => {
    const sealed = seal(plaintext, key, "attachment:t:1");
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[3]! ^= 1;
    expect(() => open({ ...sealed, ciphertext: flipped }, key, "attachment:t:1")).toThrow();
    const tag = Buffer.from(sealed.tag, "base64");
    tag[0]! ^= 1;
    expect(() => open({ ...sealed, tag: tag.toString("base64") }, key, "attachment:t:1")).toThrow();
    expect(() => open(sealed, key, "attachment:t:2")).toThrow();
    expect(() =>
      open(sealed, uploadKey("another-secret-another-secret-another-0"), "attachment:t:1"),
    ).toThrow();
  });
});
