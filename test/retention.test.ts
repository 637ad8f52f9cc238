import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConfigError, loadConfig } from "../src/server/config";
import { type Database, openDatabase, queryRows } from "../src/server/db/client";
import { activity, attachments, conversations, messages, outbox, tickets } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { RetentionJob } from "../src/server/modules/retention/retention-job";
import {
  type RetentionOptions,
  type RetentionResult,
  runRetention,
  type TenantSummary,
} from "../src/server/modules/retention/run-retention";
import { uploadsDir } from "../src/server/modules/uploads/storage";
import { createTestApp, type TestApp } from "./helpers/app";

const onPostgres = inject("templates").kind === "postgres";
/** The connection string of a PostgreSQL test database, to reach it from another pool or process. */
const urlOf = (database: Database) =>
  (database.db as unknown as { $client: pg.Pool }).$client.options.connectionString!;

describe("retention", () => {
  let t: TestApp;
  let john: string;
  let jane: string;
  let sarah: string;
  let admin: string;
  let globexAdmin: string;
  let marge: string;
  let acmeId: string;
  let globexId: string;
  let seq = 0;

  const db = () => t.database.db;
  const run = (o: Partial<RetentionOptions> = {}) =>
    runRetention({ database: t.database, dataDir: t.config.dataDir, via: "cli", ...o });
  const summaryOf = (r: RetentionResult, tenant = "acme"): TenantSummary => {
    if (r.skipped) throw new Error("the run was skipped");
    return r.tenants.find((s) => s.tenant === tenant)!;
  };
  /** Moves a timestamp into the past: ages are what retention reads, so tests set them. */
  const age = (table: "tickets" | "conversations", id: string, column: string, days: number) =>
    inSystem(db(), (tx) =>
      tx.execute(
        sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = now() - make_interval(days => ${days}::int) where id = ${id}`,
      ),
    );
  const ticketRow = async (id: string) =>
    (await inSystem(db(), (tx) => tx.select().from(tickets).where(eq(tickets.id, id))))[0];
  const chatRow = async (id: string) =>
    (await inSystem(db(), (tx) => tx.select().from(conversations).where(eq(conversations.id, id))))[0];
  const trail = (action: string) =>
    inSystem(db(), (tx) => tx.select().from(activity).where(eq(activity.action, action)));

  async function upload(token: string, text: string): Promise<string> {
    const boundary = `----retention${++seq}`;
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/uploads",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": `multipart/form-data; boundary=${boundary}`,
      },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }
  /** A message with a file in the conversation; answers the file's path on disk. */
  async function attach(token: string, conversationId: string): Promise<{ path: string; size: number }> {
    const text = `statement question ${++seq}`;
    const id = await upload(token, text);
    const sent = await t.api("POST", `/conversations/${conversationId}/messages`, {
      token,
      body: { body: "see the file", clientId: `file-${seq}`, attachmentIds: [id] },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const [row] = await inSystem(db(), (tx) => tx.select().from(attachments).where(eq(attachments.id, id)));
    const path = join(uploadsDir(t.config.dataDir), row!.storageKey);
    expect(existsSync(path)).toBe(true);
    return { path, size: Buffer.byteLength(text) };
  }
  async function ticket(token: string, status: "resolved" | "closed" | null, staff = sarah) {
    const res = await t.api("POST", "/tickets", {
      token,
      body: { subject: `Question ${++seq}`, description: "About my statement", category: "general" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    if (status) {
      const done = await t.api("PATCH", `/tickets/${res.body.id}`, { token: staff, body: { status } });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }
    return res.body as { id: string; number: number; reference: string; conversationId: string };
  }
  /** A support chat, with a file when asked (the customer's message must come before resolving: it reopens). */
  async function chat(token: string, staff: string, action: "resolve" | "close" | null, withFile = false) {
    const res = await t.api("POST", "/conversations", {
      token,
      body: { subject: `Chat ${++seq}`, message: "Hello" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const file = withFile ? await attach(token, res.body.id) : undefined;
    if (action) {
      const done = await t.api("POST", `/conversations/${res.body.id}/${action}`, { token: staff });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }
    return { ...(res.body as { id: string; number: number }), file };
  }
  /** Everything resolved earlier in the file is made fresh again, so each test counts only its own rows. */
  const freshen = () =>
    inSystem(db(), async (tx) => {
      await tx.execute(
        sql`update tickets set resolved_at = now(), closed_at = null where archived_at is null`,
      );
      await tx.execute(
        sql`update conversations set resolved_at = now(), closed_at = null, updated_at = now() where status <> 'archived'`,
      );
    });

  beforeAll(async () => {
    // The schedule stays off here: the tests start every run themselves.
    t = await createTestApp({ env: { RETENTION_INTERVAL_MINUTES: "0" } });
    [john, jane, sarah, admin] = (await Promise.all(
      ["john@acme.test", "jane@acme.test", "sarah@acme.test", "admin@acme.test"].map((e) => t.login(e)),
    )) as [string, string, string, string];
    globexAdmin = await t.login("admin@globex.test", "globex");
    marge = await t.login("marge@globex.test", "globex");
    acmeId = (await t.api("GET", "/me", { token: admin })).body.user.tenantId;
    globexId = (await t.api("GET", "/me", { token: globexAdmin })).body.user.tenantId;
  });
  afterAll(() => t.close());

  it("archives resolved and closed tickets once they are old enough, with their threads, and not before", async () => {
    const old = await ticket(john, "resolved");
    const closedOld = await ticket(jane, "closed");
    const young = await ticket(john, "resolved");
    const open = await ticket(john, null);
    await age("tickets", old.id, "resolved_at", 181);
    await age("tickets", closedOld.id, "closed_at", 200);
    await age("tickets", young.id, "resolved_at", 179);
    await age("tickets", open.id, "created_at", 1000);

    const result = await run();
    expect(summaryOf(result)).toMatchObject({ archivedTickets: 2, deletedTickets: 0 });
    for (const tk of [old, closedOld]) {
      expect((await ticketRow(tk.id))!.archivedAt).not.toBeNull();
      expect(await chatRow(tk.conversationId)).toMatchObject({
        status: "archived",
        archivedAt: expect.any(Date),
      });
    }
    for (const tk of [young, open]) expect((await ticketRow(tk.id))!.archivedAt).toBeNull();
    expect((await chatRow(young.conversationId))!.status).not.toBe("archived");

    // Staff see it in the ticket's trail; the thread is read-only now.
    const activityRes = await t.api("GET", `/tickets/${old.id}/activity`, { token: admin });
    expect(activityRes.body.items.map((a: { type: string }) => a.type)).toContain("archived");
    const reply = await t.api("POST", `/conversations/${old.conversationId}/messages`, {
      token: john,
      body: { body: "one more thing", clientId: "late-reply" },
    });
    expect(reply.status).toBe(409);
    const batch = (await trail("retention.archived")).find((a) => a.metadata.what === "tickets")!;
    expect(batch).toMatchObject({
      actorType: "system",
      subjectType: "tenant",
      subjectId: acmeId,
      tenantId: acmeId,
    });
    expect(batch.metadata).toMatchObject({
      count: 2,
      references: [old.reference, closedOld.reference].sort(),
    });
    expect(JSON.stringify(batch)).not.toContain("About my statement");

    // A second run finds nothing more to do.
    expect(summaryOf(await run())).toMatchObject({ archivedTickets: 0, deletedTickets: 0 });
    expect(await trail("ticket.archived")).toHaveLength(2);
  });

  it("deletes an archived ticket after ticketDeleteDays, with its thread, files, outbox mail and nothing else", async () => {
    await freshen();
    const doomed = await ticket(john, null);
    const file = await attach(john, doomed.conversationId);
    const kept = await ticket(jane, null);
    const keptFile = await attach(jane, kept.conversationId);
    for (const tk of [doomed, kept]) {
      const done = await t.api("PATCH", `/tickets/${tk.id}`, { token: sarah, body: { status: "resolved" } });
      expect(done.status).toBe(200);
      await age("tickets", tk.id, "resolved_at", 400);
    }
    await inSystem(db(), (tx) =>
      tx.insert(outbox).values({
        tenantId: sql`(select tenant_id from tickets where id = ${doomed.id})`,
        kind: "offline_message",
        recipient: "john@acme.test",
        subject: "New reply",
        body: "quoted text",
        metadata: { conversationId: doomed.conversationId },
      }),
    );
    expect(summaryOf(await run()).archivedTickets).toBe(2);
    await age("tickets", doomed.id, "archived_at", 731);
    await age("tickets", kept.id, "archived_at", 729);

    const result = summaryOf(await run());
    expect(result).toMatchObject({
      deletedTickets: 1,
      deletedAttachments: 1,
      bytesFreed: file.size,
      archivedTickets: 0,
    });
    expect(await ticketRow(doomed.id)).toBeUndefined();
    expect(await chatRow(doomed.conversationId)).toBeUndefined();
    const left = await inSystem(db(), async (tx) => ({
      messages: await tx.select().from(messages).where(eq(messages.conversationId, doomed.conversationId)),
      files: await tx.select().from(attachments).where(eq(attachments.conversationId, doomed.conversationId)),
      mail: await tx
        .select()
        .from(outbox)
        .where(sql`${outbox.metadata} ->> 'conversationId' = ${doomed.conversationId}`),
    }));
    expect(left).toEqual({ messages: [], files: [], mail: [] });
    expect(existsSync(file.path)).toBe(false);
    expect(existsSync(keptFile.path)).toBe(true);
    expect(await ticketRow(kept.id)).toBeDefined();
    expect((await t.api("GET", `/tickets/${doomed.id}`, { token: admin })).status).toBe(404);

    const deleted = (await trail("retention.deleted")).find((a) => a.metadata.what === "tickets")!;
    expect(deleted.metadata).toMatchObject({
      count: 1,
      references: [doomed.reference],
      attachments: 1,
      bytes: file.size,
    });
    // The ticket's own trail stays in the audit trail, which still verifies.
    expect((await trail("ticket.created")).some((a) => a.subjectId === doomed.id)).toBe(true);
    expect((await t.api("GET", "/audit-log/verify", { token: admin })).body).toMatchObject({ ok: true });
  });

  it("archives and deletes support chats by the conversation settings; team channels and ticket threads are left alone", async () => {
    await freshen();
    const old = await chat(john, admin, "resolve", true);
    const oldFile = old.file!;
    const closed = await chat(jane, admin, "close");
    const young = await chat(john, admin, "resolve");
    const stillOpen = await chat(jane, admin, null);
    await age("conversations", old.id, "resolved_at", 181);
    await age("conversations", closed.id, "closed_at", 181);
    await age("conversations", young.id, "resolved_at", 170);
    await age("conversations", stillOpen.id, "created_at", 1000);
    // A chat that became a ticket follows the ticket, which is still open.
    const converted = await chat(john, admin, "resolve");
    const asTicket = await t.api("POST", "/tickets", {
      token: admin,
      body: {
        subject: "From chat",
        description: "Carried over",
        category: "general",
        conversationId: converted.id,
      },
    });
    expect(asTicket.status, JSON.stringify(asTicket.body)).toBe(201);
    await age("conversations", converted.id, "resolved_at", 900);
    const team = await t.api("POST", "/conversations", {
      token: admin,
      body: { kind: "team", subject: "Staff room", participantIds: [] },
    });
    expect(team.status, JSON.stringify(team.body)).toBe(201);
    await inSystem(db(), (tx) =>
      tx.execute(
        sql`update conversations set status = 'closed', closed_at = now() - interval '900 days' where id = ${team.body.id}`,
      ),
    );

    expect(summaryOf(await run())).toMatchObject({ archivedConversations: 2, archivedTickets: 0 });
    expect((await chatRow(old.id))!.status).toBe("archived");
    expect((await chatRow(closed.id))!.status).toBe("archived");
    for (const id of [young.id, stillOpen.id, converted.id, team.body.id])
      expect((await chatRow(id))!.status).not.toBe("archived");
    const batch = (await trail("retention.archived")).find((a) => a.metadata.what === "conversations")!;
    expect(batch.metadata).toMatchObject({
      count: 2,
      numbers: [old.number, closed.number].sort((a, b) => a - b),
    });

    await age("conversations", old.id, "archived_at", 731);
    await age("conversations", closed.id, "archived_at", 700);
    expect(summaryOf(await run())).toMatchObject({
      deletedConversations: 1,
      deletedAttachments: 1,
      bytesFreed: oldFile.size,
    });
    expect(await chatRow(old.id)).toBeUndefined();
    expect(await chatRow(closed.id)).toBeDefined();
    expect(existsSync(oldFile.path)).toBe(false);
    expect((await t.api("GET", `/tickets/${asTicket.body.id}`, { token: admin })).status).toBe(200);
  });

  it("each tenant's settings apply to it alone, and --tenant touches only that tenant", async () => {
    await freshen();
    const set = await t.api("PATCH", "/settings", {
      token: globexAdmin,
      body: { retention: { ticketArchiveDays: 30 } },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const globexTicket = await ticket(marge, "resolved", globexAdmin);
    const acmeTicket = await ticket(john, "resolved");
    await age("tickets", globexTicket.id, "resolved_at", 40);
    await age("tickets", acmeTicket.id, "resolved_at", 40);

    const acmeOnly = await run({ tenant: "acme" });
    expect(acmeOnly.skipped ? [] : acmeOnly.tenants.map((s) => s.tenant)).toEqual(["acme"]);
    expect((await ticketRow(globexTicket.id))!.archivedAt).toBeNull();

    const all = await run();
    expect(summaryOf(all, "globex").archivedTickets).toBe(1);
    expect(summaryOf(all, "acme").archivedTickets).toBe(0);
    expect((await ticketRow(globexTicket.id))!.archivedAt).not.toBeNull();
    expect((await ticketRow(acmeTicket.id))!.archivedAt).toBeNull();
    const globexBatches = (await trail("retention.archived")).filter((a) => a.tenantId === globexId);
    expect(globexBatches.map((a) => a.metadata.references)).toEqual([[globexTicket.reference]]);
    await expect(run({ tenant: "nobody" })).rejects.toThrow('No tenant "nobody".');
  });

  /** A run that, once it holds the lock and has counted, waits until `finish` lets it go on. */
  async function heldRun(o: Partial<RetentionOptions> = {}) {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const counted = new Promise<void>((r) => (started = r));
    const result = run({
      ...o,
      onProgress: async (p) => {
        if (p.step !== "counted") return;
        started();
        await held;
      },
    });
    await counted;
    return {
      finish: () => {
        release();
        return result;
      },
    };
  }

  /** Rows and audit entries per table: what "nothing changed" is checked against. */
  const snapshot = () =>
    inSystem(db(), async (tx) => ({
      tickets: await tx.select().from(tickets),
      conversations: await tx.select().from(conversations),
      messages: (await tx.select({ id: messages.id }).from(messages)).length,
      files: (await tx.select({ id: attachments.id }).from(attachments)).length,
      activity: (await tx.select({ id: activity.id }).from(activity)).length,
    }));

  it("a dry run changes nothing and reports exactly what the run then does", async () => {
    await freshen();
    const toArchive = [await ticket(john, "resolved"), await ticket(jane, "closed")];
    for (const tk of toArchive) await age("tickets", tk.id, "resolved_at", 300);
    await age("tickets", toArchive[1]!.id, "closed_at", 300);
    const toDelete = await ticket(john, null);
    const file = await attach(john, toDelete.conversationId);
    await t.api("PATCH", `/tickets/${toDelete.id}`, { token: sarah, body: { status: "resolved" } });
    await age("tickets", toDelete.id, "resolved_at", 300);
    expect(summaryOf(await run({ tenant: "acme" })).archivedTickets).toBe(3);
    await age("tickets", toDelete.id, "archived_at", 800);
    const chatToArchive = await chat(jane, admin, "resolve");
    await age("conversations", chatToArchive.id, "resolved_at", 365);

    const before = await snapshot();
    const dry = await run({ dryRun: true });
    expect(await snapshot()).toEqual(before);
    expect(existsSync(file.path)).toBe(true);
    const expected = {
      tenant: "acme",
      archivedTickets: 0,
      archivedConversations: 1,
      deletedTickets: 1,
      deletedConversations: 0,
      deletedAttachments: 1,
      bytesFreed: file.size,
    };
    expect(summaryOf(dry)).toMatchObject(expected);
    expect(summaryOf(await run())).toMatchObject(expected);
    expect(existsSync(file.path)).toBe(false);
  });

  it("works through a backlog in bounded batches, one audit entry per batch", async () => {
    await freshen();
    const made: Array<{ id: string }> = [];
    for (let i = 0; i < 5; i++) made.push(await ticket(i % 2 ? jane : john, "resolved"));
    for (const tk of made) await age("tickets", tk.id, "resolved_at", 190);
    const before = (await trail("retention.archived")).length;
    const progress: number[] = [];
    const result = await run({ batchSize: 2, onProgress: (p) => void progress.push(p.done) });
    expect(summaryOf(result).archivedTickets).toBe(5);
    const batches = (await trail("retention.archived")).slice(before);
    expect(batches.map((b) => b.metadata.count)).toEqual([2, 2, 1]);
    expect(progress).toEqual([0, 2, 4, 5]);
    // Each batch writes its entries in one statement; the tenant's chain still holds.
    const verify = await t.api("GET", "/audit-log/verify", { token: admin });
    expect(verify.body).toMatchObject({ ok: true, firstTampered: null });
    const archivedNow = (await trail("ticket.archived")).map((a) => a.subjectId);
    expect(made.every((tk) => archivedNow.includes(tk.id))).toBe(true);
  });

  it("two runs at once: one does the work, the other says it skipped, and nothing is done twice", async () => {
    await freshen();
    const due: Array<{ id: string }> = [];
    for (let i = 0; i < 6; i++) due.push(await ticket(john, "resolved"));
    for (const tk of due) await age("tickets", tk.id, "resolved_at", 200);
    // On PostgreSQL the second run comes from another pool, as another process would: only the lock stops it.
    let other: Database | undefined;
    if (onPostgres) other = await openDatabase({ url: urlOf(t.database), poolSize: 2 });
    const second = other ?? t.database;
    try {
      const first = await heldRun();
      const skipped = await runRetention({ database: second, dataDir: t.config.dataDir, via: "cli" });
      expect(skipped).toEqual({ skipped: true });
      expect(summaryOf(await first.finish()).archivedTickets).toBe(6);

      // And four started in the same instant: the work is done exactly once between them.
      const more: Array<{ id: string }> = [];
      for (let i = 0; i < 4; i++) more.push(await ticket(jane, "resolved"));
      for (const tk of more) await age("tickets", tk.id, "resolved_at", 200);
      const results = await Promise.all([
        run(),
        run(),
        runRetention({ database: second, dataDir: t.config.dataDir, via: "cli" }),
        run(),
      ]);
      const ran = results.filter((r) => !r.skipped);
      expect(ran.length).toBeGreaterThanOrEqual(1);
      expect(ran.reduce((n, r) => n + summaryOf(r).archivedTickets, 0)).toBe(4);
      const entries = await inSystem(db(), (tx) =>
        tx
          .select()
          .from(activity)
          .where(
            and(
              eq(activity.action, "ticket.archived"),
              inArray(
                activity.subjectId,
                [...due, ...more].map((tk) => tk.id),
              ),
            ),
          ),
      );
      expect(entries).toHaveLength(10);
    } finally {
      await other?.close();
    }
  });

  it("the server's schedule runs it; beside another process's run it logs that it skipped", async () => {
    await freshen();
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const config = { ...t.config, retentionIntervalMs: 60_000 };
    const tk = await ticket(john, "resolved");
    await age("tickets", tk.id, "resolved_at", 365);

    const scheduled = new RetentionJob({ config, database: t.database, logger }, { firstDelayMs: 5 });
    scheduled.start();
    await expect.poll(async () => (await ticketRow(tk.id))!.archivedAt, { timeout: 10_000 }).not.toBeNull();
    await scheduled.stop();
    expect(lines.some((l) => JSON.parse(l).msg === "retention run")).toBe(true);

    const [a, b] = [1, 2].map(() => new RetentionJob({ config, database: t.database, logger }));
    const [ra, rb] = await Promise.all([a!.runOnce(), b!.runOnce()]);
    expect([ra?.skipped, rb?.skipped].sort()).toEqual([false, true]);
    expect(lines.filter((l) => JSON.parse(l).msg.startsWith("retention run skipped"))).toHaveLength(1);

    // Turned off, it never runs.
    const off = new RetentionJob({
      config: { ...t.config, retentionIntervalMs: 0 },
      database: t.database,
      logger,
    });
    off.start();
    await off.stop();
  });

  it("RETENTION_INTERVAL_MINUTES: 60 by default, 0 turns it off, a bad value names the variable", () => {
    const secret = { SESSION_SECRET: "s".repeat(32) };
    expect(loadConfig(secret).retentionIntervalMs).toBe(3_600_000);
    expect(loadConfig({ ...secret, RETENTION_INTERVAL_MINUTES: "0" }).retentionIntervalMs).toBe(0);
    for (const bad of ["-1", "soon", "10081"]) {
      expect(() => loadConfig({ ...secret, RETENTION_INTERVAL_MINUTES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...secret, RETENTION_INTERVAL_MINUTES: bad })).toThrow(
        /^Invalid RETENTION_INTERVAL_MINUTES/,
      );
    }
  });

  it("deletes ended calls conversationDeleteDays after they ended, with their recordings; never live ones", async () => {
    await freshen();
    // One call through the API: rung, answered by sarah, hung up by john.
    expect(
      (await t.api("PATCH", "/me/availability", { token: sarah, body: { status: "online" } })).status,
    ).toBe(200);
    const placed = await t.api("POST", "/calls", { token: john });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect((await t.api("POST", `/calls/${placed.body.id}/answer`, { token: sarah })).status).toBe(200);
    const hungUp = await t.api("POST", `/calls/${placed.body.id}/end`, { token: john });
    expect(hungUp.body.status).toBe("completed");
    expect(
      (await t.api("PATCH", "/me/availability", { token: sarah, body: { status: "offline" } })).status,
    ).toBe(200);
    // Its recording: a stored file the call points to.
    const text = "recorded call audio";
    const recordingId = await upload(sarah, text);
    const [recording] = await inSystem(db(), (tx) =>
      tx.select().from(attachments).where(eq(attachments.id, recordingId)),
    );
    const recordingPath = join(uploadsDir(t.config.dataDir), recording!.storageKey);
    expect(existsSync(recordingPath)).toBe(true);
    const insertCall = (tenant: string, status: string, endedDaysAgo: number | null) =>
      inSystem(db(), async (tx) => {
        const [row] = await queryRows<{ id: string }>(
          tx,
          sql`insert into calls (tenant_id, status, queued_at, ended_at, updated_at)
            values (${tenant}, ${status}, now() - interval '800 days',
                    ${endedDaysAgo === null ? null : sql`now() - make_interval(days => ${endedDaysAgo}::int)`},
                    now() - interval '800 days')
            returning id`,
        );
        return row!.id;
      });
    await inSystem(db(), (tx) =>
      tx.execute(sql`update calls set ended_at = now() - interval '731 days', recording_id = ${recordingId}
        where id = ${placed.body.id}`),
    );
    const missed = await insertCall(acmeId, "missed", 731);
    const abandoned = await insertCall(acmeId, "abandoned", 1000);
    const recentFailed = await insertCall(acmeId, "failed", 729);
    // Still going on (or waiting) however old: never deleted.
    const active = await insertCall(acmeId, "active", null);
    const queued = await insertCall(acmeId, "queued", null);
    const globexCall = await insertCall(globexId, "completed", 731);
    // Globex keeps its calls longer.
    const settings = await t.api("PATCH", "/settings", {
      token: globexAdmin,
      body: { retention: { conversationDeleteDays: 800 } },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);

    const callIds = () =>
      inSystem(db(), async (tx) =>
        (await queryRows<{ id: string }>(tx, sql`select id from calls order by id`)).map((c) => c.id),
      );
    const before = await callIds();
    const dry = await run({ dryRun: true });
    expect(await callIds()).toEqual(before);
    expect(existsSync(recordingPath)).toBe(true);
    const expected = { deletedCalls: 3, deletedAttachments: 1, bytesFreed: Buffer.byteLength(text) };
    expect(summaryOf(dry)).toMatchObject(expected);
    expect(summaryOf(dry, "globex")).toMatchObject({ deletedCalls: 0 });

    expect(summaryOf(await run())).toMatchObject(expected);
    const leftIds = await callIds();
    const recordingRows = await inSystem(db(), (tx) =>
      tx.select().from(attachments).where(eq(attachments.id, recordingId)),
    );
    for (const gone of [placed.body.id, missed, abandoned]) expect(leftIds).not.toContain(gone);
    for (const kept of [recentFailed, active, queued, globexCall]) expect(leftIds).toContain(kept);
    expect(recordingRows).toEqual([]);
    expect(existsSync(recordingPath)).toBe(false);
    expect((await t.api("GET", `/calls/${placed.body.id}`, { token: admin })).status).toBe(404);

    const deleted = (await trail("retention.deleted")).filter((a) => a.metadata.what === "calls");
    expect(deleted.map((a) => [a.tenantId, a.metadata])).toEqual([
      [
        acmeId,
        {
          what: "calls",
          count: 3,
          attachments: 1,
          bytes: Buffer.byteLength(text),
          deleteDays: 730,
          via: "cli",
        },
      ],
    ]);
    expect((await t.api("GET", "/audit-log/verify", { token: admin })).body).toMatchObject({ ok: true });
    // Cleared for the tests after this one.
    await inSystem(db(), (tx) => tx.execute(sql`delete from calls`));
    await t.api("PATCH", "/settings", {
      token: globexAdmin,
      body: { retention: { conversationDeleteDays: 730 } },
    });
  });

  if (!onPostgres)
    console.log(
      "retention command line: runs as its own process against PostgreSQL; runs in the PostgreSQL pass",
    );
  it.skipIf(!onPostgres)(
    "npm run retention: dry run, a run with progress and a summary, skipped beside another run",
    async () => {
      await freshen();
      const archive = await ticket(john, "resolved");
      await age("tickets", archive.id, "resolved_at", 365);
      const doomed = await ticket(jane, null);
      const file = await attach(jane, doomed.conversationId);
      await t.api("PATCH", `/tickets/${doomed.id}`, { token: sarah, body: { status: "closed" } });
      await age("tickets", doomed.id, "closed_at", 365);
      expect(summaryOf(await run({ tenant: "acme" })).archivedTickets).toBe(2);
      await age("tickets", doomed.id, "archived_at", 800);
      const again = await ticket(john, "resolved");
      await age("tickets", again.id, "resolved_at", 365);

      const before = await snapshot();
      const dry = await cli("--dry-run");
      expect(dry.code, dry.stderr).toBe(0);
      expect(await snapshot()).toEqual(before);
      expect(dry.stdout).toContain("Dry run: nothing was changed");
      expect(dry.stdout).toMatch(/^acme\s+1\s+1\s+0\s+0\s+0\s+1\s+\d+ B$/m);
      expect(dry.stdout).toMatch(/^globex\s+0\s+0\s+0\s+0\s+0\s+0\s+0 B$/m);

      // Another run holds the lock: the command does nothing and says so.
      const holder = await heldRun({ tenant: "globex" });
      const skipped = await cli("--tenant", "acme");
      await holder.finish();
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(skipped.stdout).toContain("Skipped: another retention run is in progress");
      expect(await snapshot()).toEqual(before);

      const done = await cli("--tenant", "acme");
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toContain("2 rows are due");
      expect(done.stdout).toContain("acme: archiving tickets (1/2)");
      expect(done.stdout).toContain("acme: deleting tickets (2/2)");
      expect(done.stdout).toMatch(/^acme\s+1\s+1\s+0\s+0\s+0\s+1\s+\d+ B$/m);
      expect(done.stdout).not.toContain("globex");
      expect((await ticketRow(again.id))!.archivedAt).not.toBeNull();
      expect(await ticketRow(doomed.id)).toBeUndefined();
      expect(existsSync(file.path)).toBe(false);
      const batch = (await trail("retention.deleted")).at(-1)!;
      expect(batch.metadata).toMatchObject({ via: "cli", references: [doomed.reference] });

      const unknown = await cli("--tenant", "nobody");
      expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'No tenant "nobody".']);
      const bad = await cli("--days", "3");
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("usage: npm run retention");
    },
  );

  /** The command as an operator runs it, in its own process, against this file's database and upload folder. */
  function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn("npm", ["run", "-s", "retention", "--", ...args], {
        env: {
          ...process.env,
          DATABASE_URL: urlOf(t.database),
          DATA_DIR: t.config.dataDir,
          SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  }
});
