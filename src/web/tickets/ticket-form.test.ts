import { describe, expect, it } from "vitest";
import { createTicketBody } from "../../server/modules/tickets/tickets.schema";
import { emptyTicketForm, type TicketForm, ticketBody, validateTicketForm } from "./ticket-form";

const valid: TicketForm = {
  subject: "Card declined",
  category: "billing",
  priority: "high",
  description: "My card was declined at the shop.",
};

describe("the new-ticket form's checks", () => {
  it("accept a complete form", () => {
    expect(validateTicketForm(valid)).toEqual({});
  });

  it("name every missing or short field, counting without surrounding spaces", () => {
    expect(validateTicketForm(emptyTicketForm)).toEqual({
      subject: "must be at least 3 characters",
      category: "is required",
      description: "must be at least 10 characters",
    });
    expect(validateTicketForm({ ...valid, subject: "  ab  ", description: "   too short   " })).toEqual({
      subject: "must be at least 3 characters",
      description: "must be at least 10 characters",
    });
  });

  it("agree with the server's schema at and around each limit", () => {
    const cases: Array<Partial<TicketForm>> = [
      { subject: "abc" },
      { subject: "ab" },
      { subject: " abc " },
      { subject: "x".repeat(200) },
      { subject: "x".repeat(201) },
      { description: "0123456789" },
      { description: "012345678" },
      { description: " 012345678 " },
      { description: "x".repeat(10_000) },
      { description: "x".repeat(10_001) },
    ];
    for (const change of cases) {
      const form = { ...valid, ...change };
      const client = Object.keys(validateTicketForm(form)).length === 0;
      const server = createTicketBody.safeParse(ticketBody(form)).success;
      expect({ change, client }).toEqual({ change, client: server });
    }
  });
});
