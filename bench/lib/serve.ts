import type { LoadCommand, Reply, Request } from "./protocol";

/**
 * A load generator's side of the IPC: each request is handled and answered with its id. When the orchestrator is
 * gone (crash, Ctrl-C) the process ends, so nothing of the run stays behind.
 */
export function serveRequests(script: string, handle: (command: LoadCommand) => Promise<unknown>): void {
  if (!process.send) {
    process.stderr.write(`${script} is started by bench/run.ts\n`);
    process.exit(1);
  }
  process.on("message", (raw) => {
    const request = raw as Request;
    handle(request)
      .then((result) => process.send?.({ id: request.id, ok: true, result } satisfies Reply))
      .catch((err: unknown) =>
        process.send?.({
          id: request.id,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
        } satisfies Reply),
      );
  });
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGINT", () => {});
}
