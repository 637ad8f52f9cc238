import type pg from "pg";
import type { Database } from "../../db/client";

/** The same key on every process: PostgreSQL hands the session lock on it to one connection at a time. */
const lockKey = "switchboard:retention";

/** Runs of this process, per database: the embedded database has one connection, whose session locks nest. */
const heldHere = new WeakSet<object>();

export type ReleaseLock = () => Promise<void>;

/**
 * Takes the retention lock without waiting, or answers null when a run already holds it. On PostgreSQL it is a
 * session-level advisory lock on a connection kept for the run, so it spans the run's many short transactions,
 * holds across server processes and the CLI, and goes away by itself if the holder dies. The embedded database
 * lives in one process, and its single connection would grant a session lock twice, so there the process's own
 * record decides.
 */
export async function tryRetentionLock(database: Database): Promise<ReleaseLock | null> {
  // Checked and marked before any await, so two runs started together cannot both pass.
  if (heldHere.has(database.db)) return null;
  heldHere.add(database.db);
  const forget = () => heldHere.delete(database.db);
  if (database.kind !== "postgres") return async () => void forget();

  let client: pg.PoolClient;
  try {
    client = await (database.db as unknown as { $client: pg.Pool }).$client.connect();
  } catch (err) {
    forget();
    throw err;
  }
  try {
    const { rows } = await client.query<{ ok: boolean }>(
      "select pg_try_advisory_lock(hashtextextended($1, 0)) as ok",
      [lockKey],
    );
    if (!rows[0]?.ok) {
      client.release();
      forget();
      return null;
    }
  } catch (err) {
    client.release(err instanceof Error ? err : true);
    forget();
    throw err;
  }
  return async () => {
    try {
      await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [lockKey]);
      client.release();
    } catch (err) {
      // A connection that cannot unlock is thrown away: closing it ends the session and its lock.
      client.release(err instanceof Error ? err : true);
    } finally {
      forget();
    }
  };
}
