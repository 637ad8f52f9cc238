import { z } from "zod";
import { invalid } from "./errors";

export const pageQuery = {
  cursor: z.string().max(200).optional().describe("opaque cursor from a previous page's nextCursor"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("page size, at most 200"),
};

export interface Cursor {
  /** ISO time or number the list is ordered by */
  k: string | number;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** What a list is ordered by; a cursor is checked against it, so a forged one is a 400 and never reaches SQL. */
const cursorKeys = {
  string: z
    .string()
    .max(200)
    .refine((s) => !s.includes("\u0000")),
  number: z.number().int().safe(),
  time: z.iso.datetime(),
};

export function decodeCursor(raw: string | undefined, key: keyof typeof cursorKeys): Cursor | undefined {
  if (!raw) return undefined;
  try {
    return z
      .strictObject({ k: cursorKeys[key], id: z.uuid() })
      .parse(JSON.parse(Buffer.from(raw, "base64url").toString()));
  } catch {
    throw invalid({ cursor: "is not a cursor this list returned" });
  }
}

/** Takes limit+1 rows and turns them into a page. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  cursorOf: (row: Row) => Cursor,
): { items: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(present), nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}
