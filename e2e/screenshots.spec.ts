import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { type Journey, setupTimeout, signIn, startJourney, waitForPath } from "./support/journey";
import { shootThemes as shoot } from "./support/screens";

describe.skipIf(skipBrowserJourneys)("screenshots of every area in light and dark", () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("sign-in and portal", async () => {
    const page = await j.newPage();
    await page.goto(`${j.url}/login?tenant=acme`);
    await shoot(page, "sign-in");
    await signIn(page, j.url, { tenant: "acme", email: "john@acme.test" });
    await waitForPath(page, "/portal");
    await page.getByTestId("portal-profile-card").waitFor();
    await shoot(page, "portal");
  });

  it("console", async () => {
    const page = await j.newPage();
    await signIn(page, j.url, { tenant: "acme", email: "lead@acme.test" });
    await waitForPath(page, "/console");
    await page.getByTestId("queue-empty").waitFor();
    await page.getByTestId("inbox-empty").waitFor();
    await shoot(page, "console");
  });

  it("admin staff and audit tabs", async () => {
    const page = await j.newPage();
    await signIn(page, j.url, { tenant: "acme", email: "admin@acme.test" });
    // Admins land on the dashboard, the admin area's first tab.
    await waitForPath(page, "/admin/dashboard");
    await page.getByTestId("admin-tab-staff").click();
    await waitForPath(page, "/admin/staff");
    await page.getByTestId("staff-row-sarah@acme.test").waitFor();
    await shoot(page, "admin-staff");
    await page.getByTestId("admin-tab-audit").click();
    await waitForPath(page, "/admin/audit");
    await page.locator('[data-testid^="audit-row-"]').first().waitFor();
    await shoot(page, "admin-audit");
  });

  it("platform", async () => {
    const page = await j.newPage();
    await signIn(page, j.url, { email: "root@switchboard.test" });
    await waitForPath(page, "/platform");
    await page.getByTestId("tenant-row-acme").waitFor();
    await shoot(page, "platform");
    expect(j.pageErrors).toEqual([]);
  });
});
