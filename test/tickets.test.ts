import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

const form = {
  subject: "Card declined abroad",
  description: "My card 4111 1111 1111 1111 was declined in Lisbon yesterday.",
  category: "billing",
};

describe("tickets", () => {
  let t: TestApp;
  let admin: string;
  let lead: string;
  let sarah: string;
  let mike: string;
  let john: string;
  let jane: string;
  let globexAdmin: string;
  const ids: Record<string, string> = {};

  const open = async (token: string, body: Record<string, unknown> = form) => {
    const res = await t.api("POST", "/tickets", { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const patch = (token: string, id: string, body: Record<string, unknown>) =>
    t.api("PATCH", `/tickets/${id}`, { token, body });
  const trail = async (token: string, id: string) => {
    const res = await t.api("GET", `/tickets/${id}/activity`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Array<{
      type: string;
      description: string;
      ip?: string;
      actor: { type: string };
    }>;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    lead = await t.login("lead@acme.test");
    sarah = await t.login("sarah@acme.test");
    mike = await t.login("mike@acme.test");
    john = await t.login("john@acme.test");
    jane = await t.login("jane@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
    for (const [name, token] of Object.entries({ admin, lead, sarah, mike, john, jane })) {
      ids[name] = (await t.api("GET", "/me", { token })).body.user.id;
    }
  });
  afterAll(() => t.close());

  it("a customer opens a ticket from the form: numbered, masked, due, with its thread and trail", async () => {
    const ticket = await open(john);
    expect(ticket).toMatchObject({
      number: 1,
      reference: "TKT-000001",
      status: "open",
      priority: "medium",
      category: "billing",
      source: "form",
      customer: { id: ids.john, email: "john@acme.test" },
      assignee: null,
    });
    expect(ticket.description).toContain("4111 11•• •••• 1111");
    expect(JSON.stringify(ticket)).not.toContain("4111 1111 1111 1111");
    const due = new Date(ticket.slaDueAt).getTime() - new Date(ticket.createdAt).getTime();
    expect(due).toBe(2880 * 60_000);
    const messages = await t.api("GET", `/conversations/${ticket.conversationId}/messages`, { token: john });
    expect(messages.body.items.map((m: { body: string }) => m.body)).toEqual([ticket.description]);
    expect((await trail(john, ticket.id)).map((a) => a.type)).toEqual(["created"]);
  });
});
