/**
 * A real Ogg/Opus file built from bytes (RFC 3533 pages, RFC 7845 headers): mono, 48 kHz, `seconds` of silence
 * in 20 ms CELT frames. Players decode it; sniffers see OggS + OpusHead like any recorder's output.
 */

// Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0, no final xor.
const table = Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});
function crc(bytes: Buffer): number {
  let c = 0;
  for (const b of bytes) c = ((c << 8) ^ table[((c >>> 24) ^ b) & 0xff]!) >>> 0;
  return c;
}

function page(packets: Buffer[], seq: number, granule: bigint, flags: number): Buffer {
  // Every packet here is under 255 bytes: one lacing value each.
  const header = Buffer.alloc(27 + packets.length);
  header.write("OggS", 0, "ascii");
  header[5] = flags;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(0x5317c4a1, 14);
  header.writeUInt32LE(seq, 18);
  header[26] = packets.length;
  packets.forEach((p, i) => {
    header[27 + i] = p.length;
  });
  const out = Buffer.concat([header, ...packets]);
  out.writeUInt32LE(crc(out), 22);
  return out;
}

export function oggOpus(seconds = 1): Buffer {
  const preSkip = 312;
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "ascii");
  head[8] = 1; // version
  head[9] = 1; // channels
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12);
  const vendor = Buffer.from("switchboard-test");
  const tags = Buffer.concat([Buffer.from("OpusTags"), u32(vendor.length), vendor, u32(0)]);
  const pages = [page([head], 0, 0n, 0x02), page([tags], 1, 0n, 0)];
  // TOC 0xF8: CELT fullband 20 ms, mono, one frame; 0xFF 0xFE decodes as silence.
  const silence = Buffer.from([0xf8, 0xff, 0xfe]);
  const frames = seconds * 50;
  for (let done = 0, seq = 2; done < frames; seq++) {
    const n = Math.min(50, frames - done);
    done += n;
    const last = done === frames;
    pages.push(page(Array(n).fill(silence), seq, BigInt(preSkip + done * 960), last ? 0x04 : 0));
  }
  return Buffer.concat(pages);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
