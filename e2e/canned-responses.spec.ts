import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, signedInPage, waitForThread } from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";

const poll = { timeout: 15_000 };
const greeting = "Hi John, I'm Sarah from Acme Bank. How can I help?";

describe.skipIf(skipBrowserJourneys)("an agent answers with a canned response", () => {
  let j: Journey;
  let agent: Page;
  let customer: Page;
  let conversationId: string;

  beforeAll(async () => {
    j = await startJourney();
    const admin = await j.login("admin@acme.test");
    await j.api("PATCH", "/settings", { token: admin, body: { autoAssignment: false } });
    const sarah = await j.login("sarah@acme.test");
    const sarahId = (await j.api("GET", "/me", { token: sarah })).body.user.id;
    await j.api("PATCH", "/me/availability", { token: sarah, body: { status: "online" } });
    // A personal snippet that also matches /hel, so choosing takes the arrow keys.
    const own = await j.api("POST", "/canned-responses", {
      token: sarah,
      body: {
        shortcut: "help-hours",
        title: "Opening hours",
        body: "We are here 8 to 8.",
        scope: "personal",
      },
    });
    expect(own.status).toBe(201);
    const john = await j.login("john@acme.test");
    const created = await j.api("POST", "/conversations", {
      token: john,
      body: { subject: "Card not arrived", message: "My new card has not arrived yet." },
    });
    expect(created.status).toBe(201);
    conversationId = created.body.id;
    const pickup = await j.api("POST", `/conversations/${conversationId}/assign`, {
      token: sarah,
      body: { assigneeId: sarahId },
    });
    expect(pickup.status, JSON.stringify(pickup.body)).toBe(200);
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("typing /hel offers the snippets; the keyboard picks one and it is filled in for this customer", async () => {
    agent = await signedInPage(j, "sarah@acme.test", "/console");
    await agent.goto(`${j.url}/console/conversations/${conversationId}`);
    await waitForThread(agent);
    const input = agent.getByTestId("composer-input");

    // Escape closes the menu for the word it was opened on.
    await input.pressSequentially("/tha", { delay: 20 });
    await agent.getByTestId("snippet-option-thanks").waitFor(poll);
    await input.press("Escape");
    await agent.getByTestId("snippet-menu").waitFor({ state: "detached", ...poll });
    await input.fill("");

    await input.pressSequentially("/hel", { delay: 20 });
    const menu = agent.getByTestId("snippet-menu");
    await menu.waitFor(poll);
    const options = menu.getByRole("option");
    expect(await options.count()).toBe(2);
    const hello = agent.getByTestId("snippet-option-hello");
    const hours = agent.getByTestId("snippet-option-help-hours");
    expect(await hello.getAttribute("aria-selected")).toBe("true");
    expect(await input.getAttribute("aria-activedescendant")).toBe(await hello.getAttribute("id"));
    expect(await input.getAttribute("aria-controls")).toBe(
      await menu.getByRole("listbox").getAttribute("id"),
    );
    expect(await hello.textContent()).toContain(greeting);

    await input.press("ArrowDown");
    await expect.poll(() => hours.getAttribute("aria-selected"), poll).toBe("true");
    expect(await input.getAttribute("aria-activedescendant")).toBe(await hours.getAttribute("id"));
    await input.press("ArrowUp");
    await expect.poll(() => hello.getAttribute("aria-selected"), poll).toBe("true");
    await input.press("Enter");

    await menu.waitFor({ state: "detached", ...poll });
    await expect.poll(() => input.inputValue(), poll).toBe(greeting);
    expect(await input.getAttribute("aria-activedescendant")).toBeNull();
    // The caret is after the inserted text, so typing goes on from there.
    await input.pressSequentially(" :)", { delay: 20 });
    await expect.poll(() => input.inputValue(), poll).toBe(`${greeting} :)`);
    await input.press("Backspace");
    await input.press("Backspace");
    await input.press("Backspace");

    await input.press("Enter");
    await expectInThread(agent, greeting);
    await expect.poll(() => input.inputValue(), poll).toBe("");
  });

  it("the customer sees the message, and has no snippet menu of their own", async () => {
    customer = await signedInPage(j, "john@acme.test", "/portal");
    const asked: string[] = [];
    customer.on("request", (req) => {
      if (req.url().includes("/canned-responses")) asked.push(req.url());
    });
    await customer.goto(`${j.url}/portal/chats/${conversationId}`);
    await waitForThread(customer);
    await expectInThread(customer, greeting);

    const input = customer.getByTestId("composer-input");
    await input.pressSequentially("/hel", { delay: 20 });
    await customer.waitForTimeout(500);
    expect(await customer.getByTestId("snippet-menu").count()).toBe(0);
    expect(await input.getAttribute("aria-autocomplete")).toBeNull();
    expect(await input.inputValue()).toBe("/hel");
    expect(asked).toEqual([]);
    expect(j.pageErrors).toEqual([]);
  });
});
