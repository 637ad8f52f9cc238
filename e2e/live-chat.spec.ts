import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import {
  dropConnections,
  expectInThread,
  openFromInbox,
  readMark,
  send,
  signedInPage,
  startChat,
  statusOf,
  threadText,
  typingText,
  waitForThread,
} from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";

const poll = { timeout: 15_000 };

describe.skipIf(skipBrowserJourneys)("a customer and an agent chat live", () => {
  let j: Journey;
  let customer: Page;
  let agent: Page;

  beforeAll(async () => {
    j = await startJourney();
    // Pickup is the journey: routing must leave the chat in the queue rather than hand it to Sarah.
    const admin = await j.login("admin@acme.test");
    const res = await j.api("PATCH", "/settings", { token: admin, body: { autoAssignment: false } });
    expect(res.status).toBe(200);
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("the customer starts a chat and waits in the queue", async () => {
    customer = await signedInPage(j, "john@acme.test", "/portal");
    await startChat(customer, "Card payment declined", "Hello, my card payment was declined.");
    await customer.getByTestId("queued-notice").waitFor();
    expect(await statusOf(customer, "chat-status")).toBe("queued");
    // Sent, not read yet: nobody on the staff side has opened it.
    expect(await readMark(customer, 1)).toBe("false");
  });

  it("the agent picks it up from Unassigned and the customer sees the read mark", async () => {
    agent = await signedInPage(j, "sarah@acme.test", "/console");
    await openFromInbox(agent, "unassigned", "Card payment declined");
    await expectInThread(agent, "Hello, my card payment was declined.");
    await expect.poll(() => readMark(customer, 1), poll).toBe("true");

    await agent.getByTestId("action-pickup").first().click();
    await expect.poll(() => statusOf(agent, "conversation-status"), poll).toBe("open");
    await expect.poll(() => statusOf(customer, "chat-status"), poll).toBe("open");
    await expectInThread(customer, "Sarah Johnson joined the chat.");
    await customer.getByTestId("queued-notice").waitFor({ state: "detached" });
    expect(await customer.getByTestId("chat-agent").textContent()).toBe("Sarah Johnson");
  });

  it("each sees the other typing, and they talk both ways", async () => {
    await agent.getByTestId("composer-input").fill("Hi John, let me look");
    await expect.poll(() => typingText(customer), poll).toContain("Sarah is typing…");
    await agent.getByTestId("composer-input").fill("");

    await customer.getByTestId("composer-input").pressSequentially("It happened twice", { delay: 20 });
    await expect.poll(() => typingText(agent), poll).toContain("John is typing…");
    await customer.getByTestId("composer-send").click();
    await expectInThread(agent, "It happened twice");
    // A sent message ends the sender's typing indicator on the other side.
    await expect.poll(() => typingText(agent), poll).toBe("");

    await send(agent, "Hi John, I can see both attempts. Let me check.");
    await expectInThread(customer, "Hi John, I can see both attempts. Let me check.");
    await send(customer, "Thanks!");
    await expectInThread(agent, "Thanks!");
  });

  it("a dropped connection catches up: nothing missed, nothing twice", async () => {
    const john = await j.login("john@acme.test");
    const me = await j.api("GET", "/me", { token: john });
    // Offline first, so the client's automatic reconnect cannot get through until we allow it.
    await customer.context().setOffline(true);
    // Going offline may already have closed the socket; whatever it left open is cut, and none remains.
    dropConnections(j, me.body.user.id);
    expect(dropConnections(j, me.body.user.id)).toBe(0);
    await customer.getByTestId("thread-reconnecting").waitFor(poll);

    await send(agent, "Sent while you were offline, one");
    await send(agent, "Sent while you were offline, two");
    expect(await threadText(customer)).not.toContain("while you were offline");

    await customer.context().setOffline(false);
    await expectInThread(customer, "Sent while you were offline, two");
    await customer.getByTestId("thread-reconnecting").waitFor({ state: "detached", ...poll });
    for (const text of ["Sent while you were offline, one", "Sent while you were offline, two"])
      expect(await customer.locator("article", { hasText: text }).count()).toBe(1);
    // And the live connection works again both ways.
    await send(customer, "Back online");
    await expectInThread(agent, "Back online");
  });

  it("a connection the server lost, with the browser still online, catches up on what changed too", async () => {
    const john = await j.login("john@acme.test");
    const me = await j.api("GET", "/me", { token: john });
    // The browser keeps its network (no "online" event to go by); only the live connection is refused for a while.
    let refused = true;
    await customer.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (refused) ws.close();
      else ws.connectToServer();
    });
    dropConnections(j, me.body.user.id);
    await customer.getByTestId("thread-reconnecting").waitFor(poll);

    await agent.getByTestId("action-pending").click();
    await expect.poll(() => statusOf(agent, "conversation-status"), poll).toBe("pending");
    expect(await statusOf(customer, "chat-status")).toBe("open");

    refused = false;
    await expectInThread(customer, "is waiting for your reply");
    await customer.getByTestId("thread-reconnecting").waitFor({ state: "detached", ...poll });
    await expect.poll(() => statusOf(customer, "chat-status"), poll).toBe("pending");
    // The customer's answer puts the chat back in the agent's hands, live on both sides.
    await send(customer, "Here is the order number: 4471");
    await expect.poll(() => statusOf(agent, "conversation-status"), poll).toBe("open");
    await expect.poll(() => statusOf(customer, "chat-status"), poll).toBe("open");
    await customer.unrouteAll();
  });

  it("an internal note never reaches the customer, not even after a reload", async () => {
    const note = "Customer seems upset: check the refund policy";
    await agent.getByTestId("composer-internal").check();
    await agent.getByTestId("composer-input").fill(note);
    await agent.getByTestId("composer-send").click();
    await expectInThread(agent, note);
    const shown = agent.locator('[data-internal="true"]', { hasText: note });
    expect(await shown.getByTestId("message-internal-label").textContent()).toBe("Internal note");
    await agent.getByTestId("composer-internal").uncheck();

    // Messages arrive in order: once the public one after the note is there, the note would have been too.
    await send(agent, "I have asked our payments team.");
    await expectInThread(customer, "I have asked our payments team.");
    expect(await threadText(customer)).not.toContain(note);
    expect(await customer.content()).not.toContain("refund policy");

    await customer.reload();
    await waitForThread(customer);
    await expectInThread(customer, "I have asked our payments team.");
    expect(await customer.content()).not.toContain("refund policy");
    expect(await customer.locator('[data-internal="true"]').count()).toBe(0);

    // And the note is still there for staff after their reload.
    await agent.reload();
    await waitForThread(agent);
    await expectInThread(agent, note);
  });

  it("a card number is masked on both sides with a notice", async () => {
    await customer.getByTestId("composer-input").fill("My card is 4111 1111 1111 1111, can you check it?");
    await customer.getByTestId("composer-send").click();
    for (const page of [customer, agent]) {
      const message = page.locator("article", { hasText: "can you check it?" }).last();
      await message.waitFor(poll);
      const body = (await message.getByTestId("message-body").textContent()) ?? "";
      expect(body).not.toContain("4111 1111 1111 1111");
      expect(body).toContain("•");
      expect(await message.getByTestId("message-masked-notice").textContent()).toContain(
        "Card number hidden",
      );
    }
    expect(await customer.content()).not.toContain("4111 1111 1111 1111");
    expect(await agent.content()).not.toContain("4111 1111 1111 1111");
  });

  it("files travel both ways: an image shows as a preview, other files as links", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "base64",
    );
    await customer.getByTestId("composer-file-input").setInputFiles([
      { name: "receipt.png", mimeType: "image/png", buffer: png },
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Declined at 10:42 and 10:44\n") },
    ]);
    await expect.poll(() => customer.locator('[data-testid^="composer-file-remove-"]').count(), poll).toBe(2);
    await customer.getByTestId("composer-input").fill("Here is the receipt");
    await customer.getByTestId("composer-send").click();
    for (const page of [customer, agent]) {
      const message = page.locator("article", { hasText: "Here is the receipt" }).last();
      const image = message.locator('[data-testid^="attachment-image-"]');
      await image.waitFor(poll);
      // The preview really loaded (same-origin URL with the session cookie), not a broken image.
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth), poll).toBe(1);
      expect(await message.locator('[data-testid^="attachment-link-"]').textContent()).toContain("notes.txt");
    }
  });

  it("the agent resolves, the customer rates once", async () => {
    await agent.getByTestId("action-resolve").click();
    await expect.poll(() => statusOf(customer, "chat-status"), poll).toBe("resolved");
    await customer.getByTestId("rating-star-5").click();
    await customer.getByTestId("rating-comment").fill("Quick and kind");
    await customer.getByTestId("rating-submit").click();
    await customer.getByTestId("rating-done").waitFor(poll);
    await expect.poll(() => agent.getByTestId("conversation-rating").textContent(), poll).toContain("★★★★★");
    expect(j.pageErrors).toEqual([]);
  });
});
