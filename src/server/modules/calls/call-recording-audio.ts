import { fileTypeFromBuffer } from "file-type";
import { HttpError } from "../../lib/errors";

/**
 * What a recording may be, by what its bytes say (the sniffer's name → the type we store and serve). Browsers'
 * MediaRecorder makes WebM/Opus (Chrome, Firefox) or MP4/AAC (Safari, whose files carry a generic MP4 brand, so
 * "mp4" counts as audio here, unlike for attachments); Ogg and WAV come from other recorders.
 */
const audio: Record<string, { mime: string; ext: string }> = {
  webm: { mime: "audio/webm", ext: "webm" },
  ogg: { mime: "audio/ogg", ext: "ogg" },
  oga: { mime: "audio/ogg", ext: "ogg" },
  opus: { mime: "audio/ogg", ext: "opus" },
  wav: { mime: "audio/wav", ext: "wav" },
  m4a: { mime: "audio/mp4", ext: "m4a" },
  mp4: { mime: "audio/mp4", ext: "m4a" },
};

/** Claims a recorder sends for these (with or without "; codecs=…"), plus the ones that say nothing. */
const claims = new Set([
  "",
  "application/octet-stream",
  "text/plain",
  "audio/webm",
  "video/webm",
  "audio/ogg",
  "application/ogg",
  "audio/opus",
  "audio/wav",
  "audio/x-wav",
  "audio/wave",
  "audio/mp4",
  "audio/x-m4a",
  "audio/m4a",
  "video/mp4",
]);

const unsupported = (message: string, details?: Record<string, unknown>) =>
  new HttpError(415, "unsupported_media_type", message, details);

/** Decides from the bytes alone that the file is audio we keep; the client's claim may only not contradict it. */
export async function checkRecordingType(
  claimed: string,
  bytes: Buffer,
): Promise<{ mime: string; ext: string }> {
  const found = await fileTypeFromBuffer(bytes);
  const format = found && audio[found.ext];
  if (!format) {
    throw unsupported("A recording must be WebM, Ogg, WAV or MP4 audio.", {
      detected: found?.mime ?? "unknown",
    });
  }
  const claim = claimed.split(";")[0]!.trim().toLowerCase();
  if (!claims.has(claim)) {
    throw unsupported(`The file was sent as ${claim} but its content is ${format.mime}.`, {
      detected: format.mime,
      claimed: claim,
    });
  }
  return format;
}
