/** Finding and ranking canned responses for the composer's `/` menu; pure, so it is tested without a browser. */
import type { CannedResponse } from "../../protocol/canned";

export type Snippet = Pick<CannedResponse, "id" | "shortcut" | "title" | "body" | "scope">;

/** The `/word` being typed just before the caret, at the start or after a space; null when there is none. */
export function slashToken(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)\/([A-Za-z0-9_-]{0,32})$/.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[2] ?? "";
  return { start: caret - query.length - 1, query };
}

/**
 * Snippets for what follows the slash: shortcuts starting with it first, then shortcuts and titles containing
 * it. A personal snippet shadows a shared one with the same shortcut.
 */
export function matchSnippets<T extends Snippet>(snippets: readonly T[], query: string, limit = 8): T[] {
  const q = query.toLowerCase();
  const personal = new Set(
    snippets.filter((s) => s.scope === "personal").map((s) => s.shortcut.toLowerCase()),
  );
  const ranked: Array<{ snippet: T; rank: number }> = [];
  for (const snippet of snippets) {
    const shortcut = snippet.shortcut.toLowerCase();
    if (snippet.scope === "tenant" && personal.has(shortcut)) continue;
    const rank = shortcut.startsWith(q)
      ? 0
      : shortcut.includes(q)
        ? 1
        : snippet.title.toLowerCase().includes(q)
          ? 2
          : -1;
    if (rank >= 0) ranked.push({ snippet, rank });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || a.snippet.shortcut.localeCompare(b.snippet.shortcut))
    .slice(0, limit)
    .map((r) => r.snippet);
}

/** The text with the `/word` (from `start` to the caret) replaced; the caret goes after what was inserted. */
export function insertSnippet(
  text: string,
  token: { start: number },
  caret: number,
  filled: string,
): { text: string; caret: number } {
  const after = text.slice(caret);
  // One space after the snippet unless the text already goes on with one.
  const glue = after === "" || /^\s/.test(after) ? "" : " ";
  const inserted = filled + glue;
  return { text: text.slice(0, token.start) + inserted + after, caret: token.start + inserted.length };
}
