import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import {
  demoPassword,
  expectText,
  type Journey,
  setupTimeout,
  startJourney,
  waitForPath,
} from "./support/journey";

describe.skipIf(skipBrowserJourneys)("a customer signs up", () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("is told about bad input, then signs up to acme and lands in the portal", async () => {
    const page = await j.newPage();
    await page.goto(`${j.url}/signup?tenant=acme`);
    expect(await page.getByTestId("signup-tenant").inputValue()).toBe("acme");

    await page.getByTestId("signup-name").fill("Nora Newcomer");
    await page.getByTestId("signup-email").fill("john@acme.test");
    await page.getByTestId("signup-password").fill(demoPassword);
    await page.getByTestId("signup-submit").click();
    await expectText(page, "signup-email-error", "already registered");

    const email = `nora-${Date.now()}@example.test`;
    await page.getByTestId("signup-email").fill(email);
    await page.getByTestId("signup-password").fill("x");
    await page.getByTestId("signup-submit").click();
    await page.getByTestId("signup-password-error").waitFor();
    expect(page.url()).toContain("/signup");

    await page.getByTestId("signup-password").fill(demoPassword);
    await page.getByTestId("signup-submit").click();
    await waitForPath(page, "/portal");
    await expectText(page, "user-name", "Nora Newcomer");
    await expectText(page, "tenant-name", "Acme Bank");
    await expectText(page, "profile-email", email);
    await page.getByTestId("portal-chat-card").waitFor();
    await page.getByTestId("portal-tickets-card").waitFor();

    // The session survives a reload: the cookie, not page state, keeps the customer signed in.
    await page.reload();
    await expectText(page, "user-name", "Nora Newcomer");
    expect(j.pageErrors).toEqual([]);
  });
});
