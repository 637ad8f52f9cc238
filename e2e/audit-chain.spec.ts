import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import {
  expectText,
  type Journey,
  pathOf,
  setupTimeout,
  signIn,
  startJourney,
  waitForPath,
} from "./support/journey";

describe.skipIf(skipBrowserJourneys)("the acme admin checks the audit trail", () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("follows a deep link through sign-in and sees the chain intact", async () => {
    const page = await j.newPage();
    await page.goto(`${j.url}/admin/audit`);
    await waitForPath(page, "/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/admin/audit");

    await signIn(page, j.url, { tenant: "acme", email: "admin@acme.test" });
    await waitForPath(page, "/admin/audit");
    await page.getByTestId("audit-table").waitFor();
    // Signing in is itself audited, so the trail is never empty here.
    await page.locator('[data-testid^="audit-row-"]').first().waitFor();

    await page.getByTestId("audit-verify").click();
    await expectText(page, "audit-verify-result", "Chain intact");
    expect(j.pageErrors).toEqual([]);
  });

  it("shows a 404 page for unknown addresses", async () => {
    const page = await j.newPage();
    await page.goto(`${j.url}/no-such-page`);
    await page.getByTestId("not-found").waitFor();
    expect(pathOf(page)).toBe("/no-such-page");
  });
});
