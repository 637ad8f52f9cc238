import { existsSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { startTestServer, type TestServer } from "../../test/helpers/server";
import { launchBrowser } from "./browser";

export const demoPassword = "demo-password-1";
/** Server start (fresh seeded database) plus browser launch; longer than vitest's default hook timeout. */
export const setupTimeout = 120_000;

export interface Journey {
  url: string;
  /** The API over real HTTP, for arranging data a journey is not about (paths relative to /api/v1). */
  api: TestServer["api"];
  /** A bearer token for a seeded user (tenant "acme" unless told). */
  login: TestServer["login"];
  /** The running server, for what only it can do (cutting a user's connections). */
  app: TestServer["app"];
  browser: Browser;
  /** A fresh browser profile (own cookies and storage), as if another person on another machine. */
  newPage(options?: { colorScheme?: "light" | "dark" }): Promise<Page>;
  /** Uncaught exceptions thrown in any page so far: a journey that "passes" with a crashed page does not. */
  pageErrors: Error[];
  close(): Promise<void>;
}

export async function startJourney(
  options: { browserArgs?: string[]; env?: Record<string, string> } = {},
): Promise<Journey> {
  const srv = await startTestServer(options.env);
  // The test server serves dist/web (building it when stale, if it does); without it every page is a 404.
  if (!existsSync(new URL("../../dist/web/index.html", import.meta.url))) {
    await srv.close();
    throw new Error("dist/web is missing: run `npm run build` before the browser journeys");
  }
  let browser: Browser;
  try {
    browser = await launchBrowser(options.browserArgs);
  } catch (err) {
    await srv.close();
    throw err;
  }
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];
  return {
    url: srv.url,
    api: srv.api,
    login: srv.login,
    app: srv.app,
    browser,
    pageErrors,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        colorScheme: options.colorScheme ?? "light",
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (err) => pageErrors.push(err));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await srv.close();
    },
  };
}

export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

export async function waitForPath(page: Page, path: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === path, { timeout: 15_000 });
}

export async function signIn(
  page: Page,
  baseUrl: string,
  who: { tenant?: string; email: string; password?: string },
): Promise<void> {
  if (!page.url().includes("/login")) await page.goto(`${baseUrl}/login`);
  await page.getByTestId("login-tenant").fill(who.tenant ?? "");
  await page.getByTestId("login-email").fill(who.email);
  await page.getByTestId("login-password").fill(who.password ?? demoPassword);
  await page.getByTestId("login-submit").click();
}

/** Polls the element's text, since the page fills it in after requests settle. */
export async function expectText(page: Page, testId: string, expected: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (await page
          .getByTestId(testId)
          .first()
          .textContent({ timeout: 5_000 })
          .catch(() => "")) ?? "",
      {
        timeout: 15_000,
      },
    )
    .toContain(expected);
}

export async function fetchStatus(
  page: Page,
  path: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return page.evaluate(
    async ({ path, headers }) => (await fetch(path, { credentials: "include", headers })).status,
    { path, headers },
  );
}
