import { ensureWebBuild } from "../../src/server/web-build";

/** The browser journeys need the built web app; build it once before any of them starts. */
export default async function setup() {
  await ensureWebBuild({ info: (msg: string) => console.log(msg) });
}
