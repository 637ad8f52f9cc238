import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import {
  expectText,
  fetchStatus,
  type Journey,
  setupTimeout,
  signIn,
  startJourney,
  waitForPath,
} from "./support/journey";

describe.skipIf(skipBrowserJourneys)("a Globex customer and Acme", () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("cannot sign in to Acme with Globex credentials", async () => {
    const page = await j.newPage();
    await signIn(page, j.url, { tenant: "acme", email: "marge@globex.test" });
    await page.getByTestId("login-error").waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("cannot reach Acme's pages or data", async () => {
    const page = await j.newPage();
    await signIn(page, j.url, { tenant: "globex", email: "marge@globex.test" });
    await waitForPath(page, "/portal");
    await expectText(page, "tenant-name", "Globex");

    for (const area of ["/admin", "/admin/staff", "/console", "/platform"]) {
      await page.goto(`${j.url}${area}`);
      await waitForPath(page, "/portal");
    }

    expect(await fetchStatus(page, "/api/v1/staff")).toBe(403);
    // Naming another tenant is a super admin's privilege; for anyone else it must not open Acme.
    expect(await fetchStatus(page, "/api/v1/staff", { "X-Tenant": "acme" })).toBeGreaterThanOrEqual(400);

    await expectText(page, "tenant-name", "Globex");
    const body = (await page.locator("body").textContent()) ?? "";
    expect(body).not.toContain("Acme");
    expect(j.pageErrors).toEqual([]);
  });
});
