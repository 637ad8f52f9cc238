import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A customer's own website on another origin, embedding the widget as the admin snippet says. */
export async function hostSite(
  switchboardUrl: string,
  /** More data-* attributes for the script tag, such as a signed identity. */
  attributes: Record<string, string> = {},
): Promise<{ url: string; server: Server }> {
  const extra = Object.entries(attributes)
    .map(([k, v]) => ` data-${k}="${v.replace(/"/g, "&quot;")}"`)
    .join("");
  const html = `<!doctype html><html><head><title>Acme Bank</title>
<style>body{font-family:Georgia,serif;margin:2rem} button,iframe{display:none!important;}</style></head>
<body><h1>Acme Bank</h1><p>Welcome to our website.</p>
<script src="${switchboardUrl}/widget.js" data-tenant="acme"${extra} async></script></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
