import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import {
  demoPassword,
  expectText,
  type Journey,
  pathOf,
  setupTimeout,
  signIn,
  startJourney,
  waitForPath,
} from "./support/journey";

describe.skipIf(skipBrowserJourneys)("the acme admin adds an agent", () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("adds the agent, signs out, and the agent signs in to the console", async () => {
    const page = await j.newPage();
    await signIn(page, j.url, { tenant: "acme", email: "admin@acme.test" });
    // Admins land on the dashboard, the admin area's first tab.
    await waitForPath(page, "/admin/dashboard");
    await page.getByTestId("admin-tab-staff").click();
    await waitForPath(page, "/admin/staff");
    await page.getByTestId("staff-row-sarah@acme.test").waitFor();

    const email = `pat-${Date.now()}@acme.test`;
    await page.getByTestId("staff-add").click();
    await page.getByTestId("staff-email").fill(email);
    await page.getByTestId("staff-name").fill("Pat Newagent");
    await page.getByTestId("staff-role").selectOption("agent");
    await page.getByTestId("staff-password").fill(demoPassword);
    await page.getByTestId("staff-maxChats").fill("3");
    await page.getByTestId("staff-submit").click();
    await page.getByTestId(`staff-row-${email}`).waitFor();
    await expectText(page, `staff-row-${email}`, "Pat Newagent");

    await page.getByTestId("sign-out").click();
    await waitForPath(page, "/login");
    // Sign-out remembers the organisation, so the next person only types their own details.
    expect(await page.getByTestId("login-tenant").inputValue()).toBe("acme");

    await signIn(page, j.url, { tenant: "acme", email });
    await waitForPath(page, "/console");
    await expectText(page, "user-name", "Pat Newagent");
    await page.getByTestId("console-inbox").waitFor();
    await page.getByTestId("availability-select").waitFor();
    // An agent has neither staff.view nor settings.manage.
    expect(await page.getByTestId("nav-team-board").count()).toBe(0);
    expect(await page.getByTestId("nav-admin").count()).toBe(0);

    await page.getByTestId("availability-select").selectOption("online");
    await expect.poll(() => page.getByTestId("availability-select").inputValue()).toBe("online");
    await page.reload();
    await expect.poll(() => page.getByTestId("availability-select").inputValue()).toBe("online");

    // Staff without settings.manage get the "you can't see this" page, not a bounce.
    await page.goto(`${j.url}/admin`);
    await page.getByTestId("forbidden").waitFor();
    expect(pathOf(page)).toBe("/admin");
    expect(j.pageErrors).toEqual([]);
  });
});
