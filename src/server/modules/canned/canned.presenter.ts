import type { CannedResponse } from "../../../protocol/canned";
import type { cannedResponses } from "../../db/schema";

export type CannedRow = typeof cannedResponses.$inferSelect;

export function presentCanned(row: CannedRow): CannedResponse {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    scope: row.ownerId ? "personal" : "tenant",
    ownerId: row.ownerId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit trail keeps of a snippet: what people wrote and who it belongs to. */
export function auditView(row: CannedRow) {
  return {
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    scope: row.ownerId ? "personal" : "tenant",
    ownerId: row.ownerId,
  };
}
