import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, openFromInbox, send, signedInPage, waitForThread } from "./support/chat";
import { hostSite } from "./support/host-site";
import { type Journey, setupTimeout, startJourney } from "./support/journey";

describe.skipIf(skipBrowserJourneys)("the chat widget on another site", () => {
  let j: Journey;
  let host: { url: string; server: Server };

  beforeAll(async () => {
    j = await startJourney();
    host = await hostSite(j.url);
    const admin = await j.login("admin@acme.test");
    await j.api("PATCH", "/settings", { token: admin, body: { autoAssignment: false } });
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
    await new Promise((resolve) => host?.server.close(resolve));
  });

  it("a visitor introduces themselves, writes, and the agent answers from the console", async () => {
    const visitor = await j.newPage();
    await visitor.goto(host.url);
    // The host's CSS hides every button and iframe; the widget's shadow root keeps it visible anyway.
    const bubble = visitor.getByTestId("switchboard-widget-bubble");
    await bubble.click();
    const frameElement = visitor.getByTestId("switchboard-widget-frame");
    await frameElement.waitFor();
    expect(await frameElement.getAttribute("src")).toBe(`${j.url}/widget?tenant=acme`);
    const widget = visitor.frameLocator('[data-testid="switchboard-widget-frame"]');

    // An email the tenant already knows opens nothing here: its owner is emailed a sign-in link instead.
    await widget.getByTestId("widget-name").fill("John Doe");
    await widget.getByTestId("widget-email").fill("john@acme.test");
    await widget.getByTestId("widget-start").click();
    await widget.getByTestId("widget-check-email").waitFor();
    expect(await widget.getByTestId("widget-check-email-address").textContent()).toBe("john@acme.test");
    await widget.getByTestId("widget-other-email").click();

    const email = `visitor-${Date.now()}@example.test`;
    await widget.getByTestId("widget-name").fill("Vera Visitor");
    await widget.getByTestId("widget-email").fill(email);
    await widget.getByTestId("widget-start").click();
    await widget.getByTestId("widget-first-input").fill("Hello from your website!");
    await widget.getByTestId("widget-first-send").click();
    await waitForThread(widget);
    await expectInThread(widget, "Hello from your website!");
    await widget.getByTestId("queued-notice").waitFor();

    const agent = await signedInPage(j, "sarah@acme.test", "/console");
    await openFromInbox(agent, "unassigned", "Vera Visitor");
    await expectInThread(agent, "Hello from your website!");
    await agent.getByTestId("action-pickup").first().click();
    await send(agent, "Welcome Vera, how can I help?");
    await expectInThread(widget, "Welcome Vera, how can I help?");
    await send(widget, "Just checking this works");
    await expectInThread(agent, "Just checking this works");

    // The chat survives a reload of the host page: the visitor's token is kept per tenant.
    await visitor.reload();
    await visitor.getByTestId("switchboard-widget-bubble").click();
    await waitForThread(widget);
    await expectInThread(widget, "Welcome Vera, how can I help?");

    // The chat's own close button folds it away on the host page.
    await widget.getByTestId("widget-close").click();
    await expect.poll(() => frameElement.isHidden()).toBe(true);
    expect(j.pageErrors).toEqual([]);
  });

  it("a visitor the host site has signed in is recognised without a form", async () => {
    const admin = await j.login("admin@acme.test");
    const { secret } = (await j.api("GET", "/settings/widget", { token: admin })).body;
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac("sha256", secret).update(`shop-42:${timestamp}`).digest("hex");
    const signed = await hostSite(j.url, {
      "user-id": "shop-42",
      "user-name": "Sam Shopper",
      "user-email": "sam@example.test",
      timestamp: String(timestamp),
      signature,
    });
    try {
      const page = await j.newPage();
      await page.goto(signed.url);
      await page.getByTestId("switchboard-widget-bubble").click();
      const widget = page.frameLocator('[data-testid="switchboard-widget-frame"]');
      await widget.getByTestId("widget-first-input").fill("I am signed in on your shop");
      expect(await widget.getByTestId("widget-sign-in").count()).toBe(0);
      await widget.getByTestId("widget-first-send").click();
      await expectInThread(widget, "I am signed in on your shop");
      const lead = await j.login("lead@acme.test");
      const found = await j.api("GET", "/conversations?q=shop&view=all", { token: lead });
      expect(found.body.items[0].customer).toMatchObject({ name: "Sam Shopper", email: "sam@example.test" });
      expect(j.pageErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => signed.server.close(resolve));
    }
  });
});
