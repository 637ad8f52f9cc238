import type { Server } from "node:http";
import { and, desc, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../src/server/db/schema";
import { signInMailKind } from "../src/server/modules/widget/sign-in-links";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, waitForThread } from "./support/chat";
import { hostSite } from "./support/host-site";
import { expectText, type Journey, setupTimeout, startJourney } from "./support/journey";
import { screenshotDir } from "./support/screens";

describe.skipIf(skipBrowserJourneys)("a returning widget visitor", () => {
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

  const openWidget = async (page: Page) => {
    await page.goto(host.url);
    await page.getByTestId("switchboard-widget-bubble").click();
    return page.frameLocator('[data-testid="switchboard-widget-frame"]');
  };

  /** This server sends no mail (no SMTP_URL): the email waits in the outbox, queued with the 202 answer. */
  const emailedLink = async (to: string) => {
    const [mail] = await j.app.deps.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, signInMailKind), eq(outbox.recipient, to)))
      .orderBy(desc(outbox.createdAt))
      .limit(1);
    const link = /(\S+#signin=\S+)/.exec(mail!.body)?.[1];
    if (!link) throw new Error(`no sign-in link in:\n${mail!.body}`);
    return link;
  };

  it("gives the same email on another browser, opens the emailed link and finds the earlier chat", async () => {
    const email = `ana-${Date.now()}@example.test`;
    const first = await j.newPage();
    const widget = await openWidget(first);
    await widget.getByTestId("widget-name").fill("Ana Lima");
    await widget.getByTestId("widget-email").fill(email);
    await widget.getByTestId("widget-start").click();
    await widget.getByTestId("widget-first-input").fill("Has my transfer to Lisbon gone through?");
    await widget.getByTestId("widget-first-send").click();
    await waitForThread(widget);

    // An agent answers and resolves it.
    const sarah = await j.login("sarah@acme.test");
    const me = await j.api("GET", "/me", { token: sarah });
    const found = await j.api("GET", "/conversations?q=Lisbon&view=all", { token: sarah });
    const chat = found.body.items[0] as { id: string; number: number };
    expect(
      (
        await j.api("POST", `/conversations/${chat.id}/assign`, {
          token: sarah,
          body: { assigneeId: me.body.user.id },
        })
      ).status,
    ).toBe(200);
    const answer = await j.api("POST", `/conversations/${chat.id}/messages`, {
      token: sarah,
      body: { body: "Yes, it arrived this morning.", clientId: "lisbon-answer" },
    });
    expect(answer.status).toBe(201);
    expect((await j.api("POST", `/conversations/${chat.id}/resolve`, { token: sarah })).status).toBe(200);
    await expectInThread(widget, "Yes, it arrived this morning.");

    // Days later, on another computer: nothing stored, the same email.
    const later = await j.newPage({ colorScheme: "dark" });
    const again = await openWidget(later);
    await again.getByTestId("widget-name").fill("Ana");
    await again.getByTestId("widget-email").fill(email);
    await again.getByTestId("widget-start").click();
    await again.getByTestId("widget-check-email").waitFor();
    expect(await again.getByTestId("widget-check-email-address").textContent()).toBe(email);
    expect(await again.getByTestId("thread-messages").count()).toBe(0);
    await later.screenshot({ path: `${screenshotDir}widget-check-email-dark.png` });

    const link = await emailedLink(email);
    expect(link.startsWith(`${j.url}/widget?tenant=acme#signin=`)).toBe(true);
    await later.goto(link);
    await later.getByTestId("widget-history").waitFor();
    // The token leaves the address bar as soon as the page has read it.
    expect(later.url()).toBe(`${j.url}/widget?tenant=acme`);
    await later.screenshot({ path: `${screenshotDir}widget-history-dark.png` });
    await later.getByTestId(`widget-history-${chat.number}`).click();
    await waitForThread(later);
    await expectInThread(later, "Has my transfer to Lisbon gone through?");
    await expectInThread(later, "Yes, it arrived this morning.");

    // The link worked once; opening it again asks for a new one.
    const third = await j.newPage();
    await third.goto(link);
    await expectText(third, "widget-notice", "expired or was used already");
    await third.getByTestId("widget-sign-in").waitFor();
    expect(j.pageErrors).toEqual([]);
  });

  it("looks right in the light theme too", async () => {
    const page = await j.newPage({ colorScheme: "light" });
    const widget = await openWidget(page);
    await widget.getByTestId("widget-name").fill("John Doe");
    await widget.getByTestId("widget-email").fill("john@acme.test");
    await widget.getByTestId("widget-start").click();
    await widget.getByTestId("widget-check-email").waitFor();
    await widget.getByTestId("widget-resend").click();
    await widget.getByTestId("widget-resent").waitFor();
    await page.screenshot({ path: `${screenshotDir}widget-check-email-light.png` });
    const background = await widget
      .getByTestId("widget-check-email")
      .evaluate((el) => getComputedStyle(el.querySelector(".widget-check-email")!).backgroundColor);
    expect(background).toBe("rgb(230, 237, 251)");
    expect(j.pageErrors).toEqual([]);
  });
});
