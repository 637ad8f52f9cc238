import { and, asc, eq, gt, ilike, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { CannedScope } from "../../../protocol/canned";
import type { Role } from "../../../protocol/roles";
import { cannedResponses } from "../../db/schema";
import { conflict, forbidden, notFound } from "../../lib/errors";
import { decodeCursor, toPage } from "../../lib/pagination";
import type { Scope } from "../../lib/scope";
import { changes, recordActivity } from "../audit/record-activity";
import { maskSensitive } from "../masking/mask";
import { tenantSettings } from "../settings/tenant-settings";
import { escapeLike } from "../staff/staff.routes";
import { cannedPolicy } from "./canned.policy";
import { auditView, type CannedRow, presentCanned } from "./canned.presenter";
import type { createCannedBody, listCannedQuery, updateCannedBody } from "./canned.schema";

export interface CannedActor {
  id: string;
  role: Role;
}

const lowerShortcut = sql`lower(${cannedResponses.shortcut})`;

/** The snippets this person may see: the tenant-wide ones and their own. */
function visibleTo(scope: Scope, actor: CannedActor): SQL {
  return and(
    eq(cannedResponses.tenantId, scope.tenantId!),
    or(isNull(cannedResponses.ownerId), eq(cannedResponses.ownerId, actor.id)),
  )!;
}

function inScope(actor: CannedActor, which: CannedScope): SQL {
  return which === "tenant" ? isNull(cannedResponses.ownerId) : eq(cannedResponses.ownerId, actor.id);
}

export async function listCanned(scope: Scope, actor: CannedActor, query: z.infer<typeof listCannedQuery>) {
  const cursor = decodeCursor(query.cursor, "string");
  const like = query.q ? `%${escapeLike(query.q)}%` : null;
  const rows = await scope.tx
    .select()
    .from(cannedResponses)
    .where(
      and(
        visibleTo(scope, actor),
        query.scope ? inScope(actor, query.scope) : undefined,
        like
          ? or(
              ilike(cannedResponses.shortcut, like),
              ilike(cannedResponses.title, like),
              ilike(cannedResponses.body, like),
            )
          : undefined,
        cursor
          ? or(
              gt(lowerShortcut, String(cursor.k)),
              and(eq(lowerShortcut, String(cursor.k)), gt(cannedResponses.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(lowerShortcut), asc(cannedResponses.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, presentCanned, (r) => ({ k: r.shortcut.toLowerCase(), id: r.id }));
}

/** A snippet this person may see, locked for a change; another's personal one is simply not found. */
async function loadForChange(scope: Scope, actor: CannedActor, id: string): Promise<CannedRow> {
  const [row] = await scope.tx
    .select()
    .from(cannedResponses)
    .where(and(eq(cannedResponses.id, id), visibleTo(scope, actor)))
    .for("update");
  if (!row) throw notFound("canned response");
  if (!cannedPolicy.change(actor, row)) {
    throw forbidden("Only team leads and above change the snippets shared with everyone.");
  }
  return row;
}

/** Snippets are stored text like any other: masked with the tenant's settings before they are written. */
async function masker(scope: Scope): Promise<(text: string) => string> {
  const { accountNumbers, ibans } = (await tenantSettings(scope)).masking;
  return (text) => maskSensitive(text, { accountNumbers, ibans }).text;
}

const scopeWords: Record<CannedScope, string> = {
  tenant: "A shared snippet already uses the shortcut",
  personal: "One of your snippets already uses the shortcut",
};

function shortcutTaken(which: CannedScope, shortcut: string) {
  return conflict(`${scopeWords[which]} /${shortcut}.`, { fields: { shortcut: "is taken" } });
}

/** The shortcut is unique within its scope in any letter case; a personal one may shadow a shared one. */
async function assertShortcutFree(
  scope: Scope,
  ownerId: string | null,
  shortcut: string,
  exceptId: string | null,
) {
  const [clash] = await scope.tx
    .select({ id: cannedResponses.id })
    .from(cannedResponses)
    .where(
      and(
        eq(cannedResponses.tenantId, scope.tenantId!),
        ownerId ? eq(cannedResponses.ownerId, ownerId) : isNull(cannedResponses.ownerId),
        eq(lowerShortcut, shortcut.toLowerCase()),
        exceptId ? ne(cannedResponses.id, exceptId) : undefined,
      ),
    );
  if (clash) throw shortcutTaken(ownerId ? "personal" : "tenant", shortcut);
}

/** Two people saving the same shortcut at once: the unique index decides, and the loser gets the same 409. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

async function guardUnique<T>(which: CannedScope, shortcut: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw shortcutTaken(which, shortcut);
    throw err;
  }
}

export async function createCanned(
  scope: Scope,
  actor: CannedActor,
  input: z.infer<typeof createCannedBody>,
) {
  if (input.scope === "tenant" && !cannedPolicy.manageTenantWide(actor.role)) {
    throw forbidden("Only team leads and above create snippets shared with everyone.");
  }
  const ownerId = input.scope === "personal" ? actor.id : null;
  await assertShortcutFree(scope, ownerId, input.shortcut, null);
  const mask = await masker(scope);
  const [row] = await guardUnique(input.scope, input.shortcut, () =>
    scope.tx
      .insert(cannedResponses)
      .values({
        tenantId: scope.tenantId!,
        ownerId,
        shortcut: input.shortcut,
        title: mask(input.title),
        body: mask(input.body),
        createdBy: actor.id,
      })
      .returning(),
  );
  await recordActivity(scope, {
    action: "canned_response.created",
    subjectType: "canned_response",
    subjectId: row!.id,
    newValue: auditView(row!),
  });
  return presentCanned(row!);
}

export async function updateCanned(
  scope: Scope,
  actor: CannedActor,
  id: string,
  input: z.infer<typeof updateCannedBody>,
) {
  const before = await loadForChange(scope, actor, id);
  const which: CannedScope = before.ownerId ? "personal" : "tenant";
  if (input.shortcut !== undefined) await assertShortcutFree(scope, before.ownerId, input.shortcut, id);
  const mask = await masker(scope);
  const patch: Partial<Pick<CannedRow, "shortcut" | "title" | "body">> = {};
  if (input.shortcut !== undefined) patch.shortcut = input.shortcut;
  if (input.title !== undefined) patch.title = mask(input.title);
  if (input.body !== undefined) patch.body = mask(input.body);
  const diff = changes(auditView(before), patch);
  if (!diff) return presentCanned(before);
  const [after] = await guardUnique(which, input.shortcut ?? before.shortcut, () =>
    scope.tx
      .update(cannedResponses)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(cannedResponses.id, id))
      .returning(),
  );
  await recordActivity(scope, {
    action: "canned_response.updated",
    subjectType: "canned_response",
    subjectId: id,
    ...diff,
    metadata: { scope: which, ownerId: before.ownerId },
  });
  return presentCanned(after!);
}

export async function deleteCanned(scope: Scope, actor: CannedActor, id: string) {
  const before = await loadForChange(scope, actor, id);
  await scope.tx.delete(cannedResponses).where(eq(cannedResponses.id, id));
  await recordActivity(scope, {
    action: "canned_response.deleted",
    subjectType: "canned_response",
    subjectId: id,
    oldValue: auditView(before),
  });
}
