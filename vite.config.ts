import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL("./src/web", import.meta.url));
const outDir = fileURLToPath(new URL("./dist/web", import.meta.url));
// The API server during development; the SPA itself is served by vite.
const apiTarget = process.env.SWITCHBOARD_API ?? "http://localhost:3000";

export default defineConfig(({ command }) => ({
  root,
  // A build is what gets served, whatever NODE_ENV the building process has (vitest sets "test", which would
  // otherwise bundle React's development build: larger, slower, noisier).
  define: command === "build" ? { "process.env.NODE_ENV": JSON.stringify("production") } : {},
  base: "/",
  // No @vitejs/plugin-react: vite's own oxc transform handles TSX with the automatic runtime.
  oxc: { jsx: { runtime: "automatic", development: command !== "build" } },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // Two entries: the app, and the widget loader that host sites embed as a plain <script> at a fixed URL.
      input: { index: `${root}/index.html`, widget: `${root}/widget/loader.ts` },
      output: {
        entryFileNames: (chunk) => (chunk.name === "widget" ? "widget.js" : "assets/[name]-[hash].js"),
      },
      // Libraries mark files "use client" for React Server Components; in a plain SPA the hint means nothing.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    // Host is kept as-is (no changeOrigin) so the server's same-origin check sees Origin and Host agree.
    proxy: {
      "/api": { target: apiTarget },
      "/socket.io": { target: apiTarget, ws: true },
    },
  },
  preview: { port: 5173 },
}));
