import { describe, expect, it } from "vitest";
import { oggOpus } from "../../../../test/helpers/ogg-opus";
import { checkRecordingType } from "./call-recording-audio";

/** An ISO media file's opening box: size, "ftyp", the major brand, a version and one compatible brand. */
const ftyp = (brand: string) => {
  const box = Buffer.alloc(32);
  box.writeUInt32BE(24, 0);
  box.write(`ftyp${brand}`, 4, "latin1");
  box.write("isom", 16, "latin1");
  return box;
};
// EBML header whose DocType is "webm", as MediaRecorder in Chrome and Firefox writes it.
const webm = Buffer.from(
  "1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701",
  "hex",
);
const wav = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WAVEfmt "), Buffer.alloc(32)]);

describe("what a call recording may be", () => {
  it.each([
    ["WebM from Chrome or Firefox", webm, "audio/webm;codecs=opus", "audio/webm"],
    ["Ogg/Opus", oggOpus(1), "audio/ogg", "audio/ogg"],
    ["WAV", wav, "audio/wav", "audio/wav"],
    ["M4A", ftyp("M4A "), "audio/mp4", "audio/mp4"],
    ["MP4 from Safari's recorder", ftyp("iso5"), "audio/mp4", "audio/mp4"],
    ["anything, sent without a claim", oggOpus(1), "application/octet-stream", "audio/ogg"],
  ])("keeps %s", async (_, bytes, claim, mime) => {
    expect((await checkRecordingType(claim, bytes)).mime).toBe(mime);
  });

  it.each([
    ["a PNG", Buffer.from("89504e470d0a1a0a0000000d4948445200000001", "hex"), "audio/webm"],
    ["text", Buffer.from("hello, this is not audio"), "audio/ogg"],
    ["a PDF", Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1"), "audio/ogg"],
    ["audio sent as an image", oggOpus(1), "image/png"],
  ])("refuses %s with 415", async (_, bytes, claim) => {
    await expect(checkRecordingType(claim, bytes)).rejects.toMatchObject({ status: 415 });
  });
});
