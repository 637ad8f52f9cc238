import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { expect } from "vitest";

export const screenshotDir = fileURLToPath(new URL("../screenshots/", import.meta.url));
mkdirSync(screenshotDir, { recursive: true });

/** The page background of each theme (--bg in src/web/ui/theme.css), to prove the colours really switched. */
const backgrounds = { light: "rgb(245, 246, 248)", dark: "rgb(15, 18, 22)" };

export async function setTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  const toggle = page.getByTestId("theme-toggle");
  if ((await toggle.getAttribute("data-theme-current")) !== theme) await toggle.click();
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
    .toBe(backgrounds[theme]);
}

/** The same app screen in both themes, switched with the header toggle as a user would. */
export async function shootThemes(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  for (const theme of ["light", "dark"] as const) {
    await setTheme(page, theme);
    await page.screenshot({ path: `${screenshotDir}${name}-${theme}.png`, fullPage: true });
  }
  await setTheme(page, "light");
}
