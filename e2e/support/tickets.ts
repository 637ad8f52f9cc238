import type { Page } from "playwright-core";
import { expect } from "vitest";
import { type Journey, waitForPath } from "./journey";
import { screenshotDir } from "./screens";

export const poll = { timeout: 15_000 };

/** The data attribute a ticket badge carries (`data-status` or `data-priority`), or null when it is not shown. */
export function badge(page: Page, testId: string, attr: "data-status" | "data-priority" = "data-status") {
  return page
    .getByTestId(testId)
    .first()
    .getAttribute(attr, { timeout: 5_000 })
    .catch(() => null);
}

/** Opens a ticket for a customer through the API; returns it. */
export async function openTicket(
  j: Journey,
  email: string,
  body: { subject: string; description: string; category: string; priority?: string },
) {
  const res = await j.api("POST", "/tickets", { token: await j.login(email), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; reference: string; conversationId: string };
}

/**
 * A modal dialog covers the header's theme toggle, so a dialog's screenshots forget the stored theme and switch the
 * system's colour scheme instead; the page background proves each switch happened.
 */
export async function shootDialog(page: Page, name: string): Promise<void> {
  const backgrounds = { light: "rgb(245, 246, 248)", dark: "rgb(15, 18, 22)" };
  await page.evaluate(() => {
    localStorage.removeItem("switchboard.theme");
    delete document.documentElement.dataset.theme;
  });
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .toBe(backgrounds[theme]);
    await page.screenshot({ path: `${screenshotDir}${name}-${theme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** Goes to a console or portal page by its address, as following a link would. */
export async function visit(page: Page, j: Journey, path: string): Promise<void> {
  await page.goto(`${j.url}${path}`);
  await waitForPath(page, path);
}
