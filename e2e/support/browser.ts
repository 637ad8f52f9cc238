import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium, driven by playwright-core (no browser download). */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Developers without chromium still get a green `npm test`; CI must have it, so there a missing browser
 * fails loudly instead of skipping.
 */
export const skipBrowserJourneys = !existsSync(chromiumPath) && !process.env.CI;
if (skipBrowserJourneys) console.log("chromium not found: skipping browser journeys");

/** `extraArgs`: flags one journey needs on top of these (the fake microphone for calls). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}
