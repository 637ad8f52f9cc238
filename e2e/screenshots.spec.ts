import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { type Journey, setupTimeout, signIn, startJourney, waitForPath } from "./support/journey";

const dir = fileURLToPath(new URL("./screenshots/", import.meta.url));

/** The page background of each theme (--bg in src/web/ui/theme.css), to prove the colours really switched. */
const backgrounds = { light: "rgb(245, 246, 248)", dark: "rgb(15, 18, 22)" };

async function setTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  const toggle = page.getByTestId("theme-toggle");
  if ((await toggle.getAttribute("data-theme-current")) !== theme) await toggle.click();
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
    .toBe(backgrounds[theme]);
}

/** The same screen in both themes, switched with the header toggle as a user would. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  for (const theme of ["light", "dark"] as const) {
    await setTheme(page, theme);
    await page.screenshot({ path: `${dir}${name}-${theme}.png`, fullPage: true });
  }
  await setTheme(page, "light");
}

describe.skipIf(skipBrowserJourneys)("screenshots of every area in light and dark", () => {
  let j: Journey;
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
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
    await page.getByTestId("staff-board-row-sarah@acme.test").waitFor();
    await shoot(page, "console");
  });

  it("admin staff and audit tabs", async () => {
    const page = await j.newPage();
    await signIn(page, j.url, { tenant: "acme", email: "admin@acme.test" });
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
