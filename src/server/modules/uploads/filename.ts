export const maxNameLength = 200;

/**
 * A client's file name made safe to keep and show: no folders; no control or invisible formatting characters
 * (U+202E, the right-to-left override, makes "invoice<U+202E>fdp.exe" display as "invoiceexe.pdf"); no
 * characters Windows refuses in names; no leading dots (hidden files), trailing dots or spaces. Empty is "file".
 */
export function sanitizeFilename(raw: string): string {
  const base = raw.normalize("NFC").split(/[/\\]/).pop() ?? "";
  const cleaned = base
    // Tabs and line breaks separate words: they become spaces before the other controls go.
    .replace(/\s+/g, " ")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  return cleaned || "file";
}

/** The lower-case extension without its dot, or "" when the name has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** Cuts a name to the limit in whole characters, keeping its extension so the download still opens. */
export function limitLength(name: string, max = maxNameLength): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const ext = extensionOf(name);
  const keep = ext && ext.length < 20 ? [...name.slice(name.lastIndexOf("."))] : [];
  return chars.slice(0, max - keep.length).join("") + keep.join("");
}

/**
 * The Content-Disposition header (RFC 6266): the exact name as UTF-8 in `filename*`, and an ASCII stand-in in
 * `filename` for clients that know only that form. Quotes and backslashes cannot break out of either.
 */
export function contentDisposition(type: "attachment" | "inline", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
