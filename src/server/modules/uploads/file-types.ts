import { isUtf8 } from "node:buffer";
import { fileTypeFromBuffer } from "file-type";
import { HttpError } from "../../lib/errors";
import { extensionOf } from "./filename";

/**
 * One accepted kind of file: what the sniffer calls its bytes (file-type's name, or "text" for plain text,
 * which has no magic bytes), the type we store and serve, the extensions its name may have (the first is added
 * to a name that has none) and the types a client may claim for it.
 */
interface Format {
  sniffed: readonly string[];
  mime: string;
  extensions: readonly string[];
  claims: readonly string[];
}

const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
const odt = "application/vnd.oasis.opendocument.text";
const ods = "application/vnd.oasis.opendocument.spreadsheet";

/**
 * The allow-list. Anything else is refused, and in particular what a browser or an operating system would act
 * on: SVG and HTML (scripts in our origin), executables, scripts, archives. Claims include the variants real
 * browsers send (Windows labels .csv as an Excel sheet, older browsers say image/pjpeg).
 */
const formats: readonly Format[] = [
  { sniffed: ["png"], mime: "image/png", extensions: ["png"], claims: ["image/png", "image/x-png"] },
  {
    sniffed: ["jpg"],
    mime: "image/jpeg",
    extensions: ["jpg", "jpeg", "jpe", "jfif"],
    claims: ["image/jpeg", "image/jpg", "image/pjpeg"],
  },
  { sniffed: ["gif"], mime: "image/gif", extensions: ["gif"], claims: ["image/gif"] },
  { sniffed: ["webp"], mime: "image/webp", extensions: ["webp"], claims: ["image/webp"] },
  {
    sniffed: ["pdf"],
    mime: "application/pdf",
    extensions: ["pdf"],
    claims: ["application/pdf", "application/x-pdf"],
  },
  { sniffed: ["docx"], mime: docx, extensions: ["docx"], claims: [docx] },
  { sniffed: ["xlsx"], mime: xlsx, extensions: ["xlsx"], claims: [xlsx] },
  { sniffed: ["pptx"], mime: pptx, extensions: ["pptx"], claims: [pptx] },
  { sniffed: ["odt"], mime: odt, extensions: ["odt"], claims: [odt] },
  { sniffed: ["ods"], mime: ods, extensions: ["ods"], claims: [ods] },
  // Word and Excel 97–2003 share one container format; only the name says which of the two it is.
  { sniffed: ["cfb"], mime: "application/msword", extensions: ["doc"], claims: ["application/msword"] },
  {
    sniffed: ["cfb"],
    mime: "application/vnd.ms-excel",
    extensions: ["xls"],
    claims: ["application/vnd.ms-excel"],
  },
  {
    sniffed: ["mp3"],
    mime: "audio/mpeg",
    extensions: ["mp3"],
    claims: ["audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3"],
  },
  {
    sniffed: ["ogg", "oga", "opus"],
    mime: "audio/ogg",
    extensions: ["ogg", "oga", "opus"],
    claims: ["audio/ogg", "application/ogg", "audio/opus"],
  },
  {
    sniffed: ["wav"],
    mime: "audio/wav",
    extensions: ["wav"],
    claims: ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"],
  },
  // The browser's voice recorder makes WebM; the container looks the same with or without a video track.
  {
    sniffed: ["webm"],
    mime: "audio/webm",
    extensions: ["webm", "weba"],
    claims: ["audio/webm", "video/webm"],
  },
  {
    sniffed: ["m4a"],
    mime: "audio/mp4",
    extensions: ["m4a"],
    claims: ["audio/mp4", "audio/x-m4a", "audio/m4a"],
  },
  { sniffed: ["text"], mime: "text/plain", extensions: ["txt"], claims: ["text/plain"] },
  { sniffed: ["text"], mime: "text/plain", extensions: ["log"], claims: ["text/plain", "text/x-log"] },
  {
    sniffed: ["text"],
    mime: "text/plain",
    extensions: ["csv"],
    claims: [
      "text/csv",
      "text/x-csv",
      "application/csv",
      "text/comma-separated-values",
      "application/vnd.ms-excel",
    ],
  },
];

/** Images a browser may show inside the chat (never SVG: it can carry scripts). */
export const previewable = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * Claims that say nothing: clients send octet-stream for anything, and a multipart part without a Content-Type
 * reaches us as text/plain (RFC 7578's default), which cannot be told apart from an explicit one.
 */
const noClaim = new Set(["", "application/octet-stream", "text/plain"]);

const unsupported = (message: string, details?: Record<string, unknown>) =>
  new HttpError(415, "unsupported_media_type", message, details);

/**
 * Plain text has no magic bytes: valid UTF-8 without NULs. Markup and scripts are text too, but a browser or a
 * shell acts on them, so text that opens like HTML, SVG, XML or a #! script is told apart (\s also skips a BOM).
 */
function textKind(bytes: Buffer): "text" | "markup" | undefined {
  if (bytes.includes(0) || !isUtf8(bytes)) return undefined;
  return /^\s*(<[a-z!?/]|#!)/i.test(bytes.subarray(0, 1024).toString("utf8")) ? "markup" : "text";
}

/**
 * Decides what a file is from its bytes alone, then checks that the name and the claimed type agree: an .exe
 * renamed .png is refused, and so is a PNG sent as application/pdf. Returns the type to store and the name to keep
 * (with the format's extension added when the name had none).
 */
export async function checkFileType(
  name: string,
  claimed: string,
  bytes: Buffer,
): Promise<{ mime: string; name: string }> {
  const found = await fileTypeFromBuffer(bytes);
  const sniffed = found?.ext ?? textKind(bytes);
  if (sniffed === "markup") {
    throw unsupported("Web pages, SVG images, XML and scripts are not accepted.", { detected: "markup" });
  }
  const detected = found?.mime ?? "text/plain";
  const candidates = formats.filter((f) => sniffed && f.sniffed.includes(sniffed));
  if (!sniffed || !candidates.length) {
    throw unsupported("This type of file is not accepted.", { detected: found?.mime ?? "unknown" });
  }

  const ext = extensionOf(name);
  const format = ext
    ? candidates.find((f) => f.extensions.includes(ext))
    : candidates.length === 1
      ? candidates[0]
      : undefined;
  if (!format) {
    const expected = candidates.flatMap((f) => f.extensions).map((e) => `.${e}`);
    throw unsupported(
      ext
        ? `The name ends .${ext} but the content is ${detected}.`
        : `Name the file with its extension (${expected.join(", ")}).`,
      { detected, expected },
    );
  }

  const claim = claimed.split(";")[0]!.trim().toLowerCase();
  if (!noClaim.has(claim) && !format.claims.includes(claim)) {
    throw unsupported(`The file was sent as ${claim} but its content is ${format.mime}.`, {
      detected: format.mime,
      claimed: claim,
    });
  }
  return { mime: format.mime, name: ext ? name : `${name}.${format.extensions[0]}` };
}
