import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { signedInPage, waitForThread } from "./support/chat";
import { hostSite } from "./support/host-site";
import { type Journey, setupTimeout, startJourney } from "./support/journey";
import { screenshotDir, shootThemes } from "./support/screens";

interface Conv {
  id: string;
  number: number;
}

describe.skipIf(skipBrowserJourneys)("screenshots of the chat screens in light and dark", () => {
  let j: Journey;
  let conv: Conv;
  let sarah: string;
  let sarahId: string;
  let n = 0;
  const say = async (token: string, id: string, body: string, internal = false) => {
    const res = await j.api("POST", `/conversations/${id}/messages`, {
      token,
      body: { body, clientId: `shot-${n++}`, ...(internal ? { internal } : {}) },
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    j = await startJourney();
    const admin = await j.login("admin@acme.test");
    await j.api("PATCH", "/settings", { token: admin, body: { autoAssignment: false } });
    const john = await j.login("john@acme.test");
    sarah = await j.login("sarah@acme.test");
    sarahId = (await j.api("GET", "/me", { token: sarah })).body.user.id;
    const created = await j.api("POST", "/conversations", {
      token: john,
      body: { subject: "Card payment declined", message: "Hello, my card payment was declined twice today." },
    });
    conv = created.body;
    await j.api("POST", `/conversations/${conv.id}/assign`, { token: sarah, body: { assigneeId: sarahId } });
    await say(sarah, conv.id, "Hi John, I'm Sarah. Let me look at your account.");
    await say(john, conv.id, "Thanks! The card is 4111 1111 1111 1111 if that helps.");
    await say(sarah, conv.id, "Two declines from the fraud rule at 10:42; safe to lift.", true);
    await say(sarah, conv.id, "Found it: a security check stopped them. I've cleared it, please try again.");
    // A second, earlier chat, so the inbox and the customer's history have more than one entry.
    await j.api("POST", "/conversations", {
      token: john,
      body: { subject: "Statement download", message: "Where do I find my PDF statements?" },
    });
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("portal thread", async () => {
    const page = await signedInPage(j, "john@acme.test", "/portal");
    await page.getByTestId(`my-chat-${conv.number}`).waitFor();
    await page.goto(`${j.url}/portal/chats/${conv.id}`);
    await waitForThread(page);
    await shootThemes(page, "portal-chat");
  });

  it("console inbox and thread", async () => {
    const page = await signedInPage(j, "sarah@acme.test", "/console");
    await page.getByTestId(`inbox-row-${conv.number}`).waitFor();
    await page.getByTestId(`inbox-row-${conv.number}`).click();
    await waitForThread(page);
    await page.getByTestId("customer-past").waitFor();
    await shootThemes(page, "console-conversation");
  });

  it("widget on a host site", async () => {
    const host = await hostSite(j.url);
    try {
      const page = await j.newPage();
      await page.goto(host.url);
      await page.getByTestId("switchboard-widget-bubble").click();
      const widget = page.frameLocator('[data-testid="switchboard-widget-frame"]');
      await widget.getByTestId("widget-name").fill("Vera Visitor");
      await widget.getByTestId("widget-email").fill("vera@example.test");
      await widget.getByTestId("widget-start").click();
      await widget.getByTestId("widget-first-input").fill("Hi! Do you offer business accounts?");
      await widget.getByTestId("widget-first-send").click();
      await waitForThread(widget);
      const queue = await j.api("GET", "/conversations?view=unassigned&q=business", { token: sarah });
      const visitorChat: Conv = queue.body.items[0];
      await j.api("POST", `/conversations/${visitorChat.id}/assign`, {
        token: sarah,
        body: { assigneeId: sarahId },
      });
      await say(sarah, visitorChat.id, "Hello Vera! Yes, we do. Shall I tell you about them?");
      await widget.getByText("Shall I tell you about them?").waitFor();
      for (const theme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.screenshot({ path: `${screenshotDir}widget-${theme}.png` });
      }
      expect(j.pageErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => host.server.close(resolve));
    }
  });
});
