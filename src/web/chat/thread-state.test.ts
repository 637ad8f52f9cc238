import { describe, expect, it } from "vitest";
import type { MessageView } from "../lib/chat";
import { addPending, emptyThread, failPending, mergeMessages, readByOthers } from "./thread-state";
import { typingSentence } from "./use-typing";

function message(seq: number, extra: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${seq}`,
    conversationId: "c",
    seq,
    clientId: null,
    sender: { id: "u", name: "U", type: "customer" },
    body: `message ${seq}`,
    internal: false,
    attachments: [],
    masked: [],
    createdAt: new Date(0).toISOString(),
    editedAt: null,
    ...extra,
  };
}

describe("thread merging", () => {
  it("keeps seq order and shows a message delivered twice once", () => {
    let s = mergeMessages(emptyThread, [message(3), message(1)]);
    s = mergeMessages(s, [message(2), message(3)]);
    expect(s.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("returns the same state when nothing is new, so React skips the render", () => {
    const s = mergeMessages(emptyThread, [message(1)]);
    expect(mergeMessages(s, [message(1)])).toBe(s);
  });

  it("replaces a pending copy once its message arrives, matched by clientId", () => {
    const pending = {
      clientId: "k1",
      body: "hi",
      internal: false,
      attachments: [],
      status: "sending" as const,
    };
    let s = addPending(emptyThread, pending);
    s = failPending(s, "k1", "offline");
    expect(s.pending[0]?.status).toBe("failed");
    s = mergeMessages(s, [message(4, { clientId: "k1" })]);
    expect(s.pending).toEqual([]);
    expect(s.messages).toHaveLength(1);
  });
});

describe("read marks", () => {
  const marks = new Map([
    ["customer", 5],
    ["agent", 3],
    ["observer", 7],
  ]);
  it("a customer's messages are read once any staff member has read them", () => {
    expect(readByOthers(marks, "customer", "customer", false)).toBe(7);
  });
  it("staff messages are read once the customer has", () => {
    expect(readByOthers(marks, "agent", "customer", true)).toBe(5);
    expect(readByOthers(marks, "agent", null, true)).toBe(0);
  });
});

describe("typing sentence", () => {
  it("names people by first name", () => {
    expect(typingSentence([])).toBeNull();
    expect(typingSentence(["Sarah Johnson"])).toBe("Sarah is typing…");
    expect(typingSentence(["Sarah Johnson", "Mike Chen", "Tom"])).toBe("Sarah, Mike and Tom are typing…");
  });
});
