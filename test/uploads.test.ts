import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, attachments } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { deleteAttachmentFiles, uploadsDir } from "../src/server/modules/uploads/storage";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

/** Present in every sample that can carry it, to prove the stored bytes never hold the plaintext. */
const marker = "SWITCHBOARD-PLAINTEXT-MARKER-7f3a";

// Minimal but genuine files: the server decides by their bytes, so they must look like the real thing.
const png = Buffer.concat([
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  ),
  Buffer.from(marker),
]);
const pdf = Buffer.from(
  `%PDF-1.4\n1 0 obj << /Title (${marker}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
);
const text = Buffer.from(`Statement question\nreference ${marker}\n`);

/** A ZIP archive of stored (uncompressed) entries, with its central directory: enough to be a real .docx. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content);
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
const docx = zip({
  "[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
  "word/document.xml": `<w:document><w:body><w:p><w:r><w:t>${marker}</w:t></w:r></w:p></w:body></w:document>`,
});

/** 8 kHz mono 8-bit PCM: a RIFF/WAVE header, a fmt chunk and a short data chunk. */
function wav(samples: number): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 0x80)]);
}

const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
const pe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(62), Buffer.from("PE\0\0"), Buffer.alloc(60)]);

interface Part {
  field: string;
  filename?: string;
  type?: string;
  data: Buffer | string;
}

/** A multipart/form-data body built by hand, exactly as a browser's FormData would send it. */
function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----switchboard${randomBytes(8).toString("hex")}`;
  const chunks = parts.flatMap((p) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"` +
        (p.filename === undefined ? "" : `; filename="${p.filename}"`) +
        (p.type ? `\r\nContent-Type: ${p.type}` : "") +
        "\r\n\r\n",
    ),
    Buffer.from(p.data),
    Buffer.from("\r\n"),
  ]);
  return {
    payload: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe("uploads", () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const as = (email: string) => tokens[email]!;

  async function post(token: string, contentType: string, payload: Buffer | string): Promise<ApiResponse> {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/uploads",
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      payload,
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  }
  const send = (token: string, parts: Part[]) => {
    const { payload, contentType } = multipart(parts);
    return post(token, contentType, payload);
  };
  const upload = (
    token: string,
    filename: string,
    data: Buffer | string,
    type = "application/octet-stream",
  ) => send(token, [{ field: "file", filename, type, data }]);
  const download = (token: string, id: string, query = "") =>
    t.app.inject({
      method: "GET",
      url: `/api/v1/uploads/${id}${query}`,
      headers: { authorization: `Bearer ${token}` },
    });

  async function uploaded(token: string, filename: string, data: Buffer, type?: string) {
    const res = await upload(token, filename, data, type);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string; mime: string; size: number; url: string };
  }
  const rowOf = async (id: string) =>
    (await inSystem(t.database.db, (tx) => tx.select().from(attachments).where(eq(attachments.id, id))))[0];
  const storedFiles = () => {
    try {
      return readdirSync(uploadsDir(t.config.dataDir));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    for (const [email, tenant] of [
      ["john@acme.test", "acme"],
      ["jane@acme.test", "acme"],
      ["sarah@acme.test", "acme"],
      ["admin@acme.test", "acme"],
      ["homer@globex.test", "globex"],
      ["marge@globex.test", "globex"],
    ] as const) {
      tokens[email] = await t.login(email, tenant);
    }
    // Chats stay in the queue, so that Sarah's pick-up below is what lets her see John's.
    const off = await t.api("PATCH", "/settings", {
      token: as("admin@acme.test"),
      body: { autoAssignment: false },
    });
    expect(off.status).toBe(200);
  });
  afterAll(() => t.close());

  describe("accepted files", () => {
    it.each([
      ["receipt.png", png, "image/png", "image/png"],
      ["statement.pdf", pdf, "application/pdf", "application/pdf"],
      ["notes.txt", text, "text/plain", "text/plain"],
      [
        "letter.docx",
        docx,
        "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      ],
      ["voice.wav", wav(800), "audio/wav", "audio/wav"],
    ])("%s is stored encrypted and comes back byte for byte", async (name, data, claimed, mime) => {
      const file = await uploaded(as("john@acme.test"), name, data, claimed);
      expect(file).toEqual({ id: file.id, name, mime, size: data.length, url: `/api/v1/uploads/${file.id}` });

      const row = (await rowOf(file.id))!;
      expect(Buffer.from(row.iv, "base64")).toHaveLength(12);
      expect(Buffer.from(row.tag, "base64")).toHaveLength(16);
      expect(row.storageKey).toMatch(/^[0-9a-f]{32}$/);
      const stored = readFileSync(join(uploadsDir(t.config.dataDir), row.storageKey));
      expect(stored).toHaveLength(data.length);
      expect(stored.equals(data)).toBe(false);
      expect(stored.includes(marker)).toBe(false);

      const res = await download(as("john@acme.test"), file.id);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(data)).toBe(true);
      expect(res.headers["content-type"]).toBe(mime === "text/plain" ? "text/plain; charset=utf-8" : mime);
      expect(res.headers["content-disposition"]).toBe(
        `attachment; filename="${name}"; filename*=UTF-8''${name}`,
      );
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["cache-control"]).toBe("private, no-store");
    });

    it("audits the upload without its content", async () => {
      const file = await uploaded(as("john@acme.test"), "audit.txt", text);
      const entries = await inSystem(t.database.db, (tx) =>
        tx
          .select()
          .from(activity)
          .where(and(eq(activity.action, "upload.created"), eq(activity.subjectId, file.id))),
      );
      expect(entries).toHaveLength(1);
      expect(entries[0]!.newValue).toEqual({ name: "audit.txt", mime: "text/plain", size: text.length });
      expect(JSON.stringify(entries[0])).not.toContain(marker);
    });

    it("keeps names safe: no paths or control characters, at most 200 characters, UTF-8 kept", async () => {
      const evil = await uploaded(as("john@acme.test"), "..\\..\\etc\\re\u0007port\u202e.txt", text);
      expect(evil.name).toBe("report.txt");
      const long = await uploaded(as("john@acme.test"), `${"a".repeat(300)}.pdf`, pdf);
      expect(long.name).toBe(`${"a".repeat(196)}.pdf`);
      const unnamed = await uploaded(as("john@acme.test"), "scan", png);
      expect(unnamed.name).toBe("scan.png");
      const utf8 = await uploaded(as("john@acme.test"), "Überweisung €.txt", text);
      expect(utf8.name).toBe("Überweisung €.txt");
      const res = await download(as("john@acme.test"), utf8.id);
      expect(res.headers["content-disposition"]).toBe(
        `attachment; filename="_berweisung _.txt"; filename*=UTF-8''%C3%9Cberweisung%20%E2%82%AC.txt`,
      );
    });

    it("shows images inline only when asked, and never anything else", async () => {
      const image = await uploaded(as("john@acme.test"), "photo.png", png);
      const inline = await download(as("john@acme.test"), image.id, "?inline=1");
      expect(inline.headers["content-disposition"]).toMatch(/^inline; /);
      expect(inline.headers["content-security-policy"]).toContain("sandbox");
      const doc = await uploaded(as("john@acme.test"), "doc.pdf", pdf);
      const asked = await download(as("john@acme.test"), doc.id, "?inline=1");
      expect(asked.headers["content-disposition"]).toMatch(/^attachment; /);
      expect((await download(as("john@acme.test"), doc.id, "?inline=yes")).statusCode).toBe(400);
    });
    it("a retry with the same Idempotency-Key gets the first answer and stores nothing more", async () => {
      const { payload, contentType } = multipart([
        { field: "file", filename: "once.png", type: "image/png", data: png },
      ]);
      const headers = {
        authorization: `Bearer ${as("john@acme.test")}`,
        "content-type": contentType,
        "idempotency-key": "upload-once",
      };
      const first = await t.app.inject({ method: "POST", url: "/api/v1/uploads", headers, payload });
      const again = await t.app.inject({ method: "POST", url: "/api/v1/uploads", headers, payload });
      expect(first.statusCode).toBe(201);
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect(again.json()).toEqual(first.json());
      const rows = await inSystem(t.database.db, (tx) =>
        tx.select().from(attachments).where(eq(attachments.name, "once.png")),
      );
      expect(rows).toHaveLength(1);
    });
  });

  describe("refused files", () => {
    const refuse = async (res: ApiResponse, status: number, code: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
    };
    it.each([
      [
        "drawing.svg",
        `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
        "image/svg+xml",
      ],
      ["drawing.svg", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`, "image/svg+xml"],
      ["page.html", "<!doctype html><script>alert(document.cookie)</script>", "text/html"],
      ["page.txt", "<html><body onload=alert(1)>", "text/plain"],
      ["run.txt", "#!/bin/sh\nrm -rf /\n", "text/plain"],
      ["cat.png", elf, "image/png"],
      ["invoice.png", pe, "image/png"],
      ["setup.exe", pe, "application/x-msdownload"],
      ["bundle.zip", zip({ "a.txt": "hello" }), "application/zip"],
      ["photo.pdf", png, "application/pdf"],
      ["photo.png", png, "application/pdf"],
      ["statement.txt", pdf, "text/plain"],
      ["notes.exe", text, "application/octet-stream"],
      ["data.bin", Buffer.from([1, 2, 0, 3]), "application/octet-stream"],
    ])("%s (%s) is 415", async (name, data, type) => {
      await refuse(await upload(as("john@acme.test"), name, data, type), 415, "unsupported_media_type");
    });

    it("leaves nothing behind beyond the tenant's size limit (413)", async () => {
      const admin = as("admin@acme.test");
      expect((await t.api("PATCH", "/settings", { token: admin, body: { maxUploadMb: 1 } })).status).toBe(
        200,
      );
      const before = await inSystem(t.database.db, (tx) =>
        tx.select({ id: attachments.id }).from(attachments),
      );
      const files = storedFiles().length;
      const limit = 1024 * 1024;
      await refuse(await upload(as("john@acme.test"), "big.txt", "a".repeat(limit + 1)), 413, "too_large");
      await refuse(await upload(as("john@acme.test"), "huge.txt", "a".repeat(3 * limit)), 413, "too_large");
      const after = await inSystem(t.database.db, (tx) =>
        tx.select({ id: attachments.id }).from(attachments),
      );
      expect(after).toHaveLength(before.length);
      expect(storedFiles()).toHaveLength(files);
      // Exactly at the limit is still fine.
      await uploaded(as("john@acme.test"), "edge.txt", Buffer.from("a".repeat(limit)));
      expect((await t.api("PATCH", "/settings", { token: admin, body: { maxUploadMb: 10 } })).status).toBe(
        200,
      );
    });

    it("wants exactly one file in the field named file (400)", async () => {
      const john = as("john@acme.test");
      await refuse(await send(john, []), 400, "validation_failed");
      await refuse(await send(john, [{ field: "note", data: "hello" }]), 400, "validation_failed");
      const two = await send(john, [
        { field: "file", filename: "a.png", type: "image/png", data: png },
        { field: "file", filename: "b.png", type: "image/png", data: png },
      ]);
      await refuse(two, 400, "validation_failed");
      expect(two.body.error.details.fields.file).toMatch(/exactly one/);
      const misnamed = await send(john, [
        { field: "upload", filename: "a.png", type: "image/png", data: png },
      ]);
      await refuse(misnamed, 400, "validation_failed");
      expect(Object.keys(misnamed.body.error.details.fields)).toEqual(["upload", "file"]);
      await refuse(await upload(john, "empty.txt", ""), 400, "validation_failed");
      await refuse(
        await post(john, "multipart/form-data; boundary=x", "--x\r\nnonsense"),
        400,
        "validation_failed",
      );
    });

    it("wants multipart (415) and a signed-in caller (401)", async () => {
      const john = as("john@acme.test");
      await refuse(
        await post(john, "application/json", JSON.stringify({ file: "x" })),
        415,
        "unsupported_media_type",
      );
      await refuse(await post(john, "image/png", png), 415, "unsupported_media_type");
      const { payload, contentType } = multipart([{ field: "file", filename: "a.png", data: png }]);
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/uploads",
        headers: { "content-type": contentType },
        payload,
      });
      expect(res.statusCode).toBe(401);
    });
  });

  describe("who may download", () => {
    let conversationId: string;
    let fileId: string;
    const status = async (email: string, id: string) => (await download(as(email), id)).statusCode;

    beforeAll(async () => {
      const john = as("john@acme.test");
      const started = await t.api("POST", "/conversations", {
        token: john,
        body: { subject: "Card", message: "Hi" },
      });
      expect(started.status).toBe(201);
      conversationId = started.body.id;
      fileId = (await uploaded(john, "card.png", png)).id;
    });

    it("an unsent upload is its uploader's alone", async () => {
      expect(await status("john@acme.test", fileId)).toBe(200);
      for (const email of ["jane@acme.test", "sarah@acme.test", "admin@acme.test", "homer@globex.test"]) {
        expect(await status(email, fileId), email).toBe(404);
      }
    });

    it("another person's upload cannot be attached, and the message is not created", async () => {
      const janes = await uploaded(as("jane@acme.test"), "jane.png", png);
      const john = as("john@acme.test");
      const path = `/conversations/${conversationId}/messages`;
      const before = (await t.api("GET", path, { token: john })).body.items.length;
      const res = await t.api("POST", path, {
        token: john,
        body: { body: "see attached", clientId: "steal-1", attachmentIds: [fileId, janes.id] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details.fields).toHaveProperty("attachmentIds");
      expect((await t.api("GET", path, { token: john })).body.items).toHaveLength(before);
      expect((await rowOf(janes.id))!.messageId).toBeNull();
      expect((await rowOf(fileId))!.messageId).toBeNull();
    });

    it("once attached, follows the conversation: its people yes, other customers and tenants no", async () => {
      const john = as("john@acme.test");
      const sent = await t.api("POST", `/conversations/${conversationId}/messages`, {
        token: john,
        body: { body: "my card", clientId: "with-file", attachmentIds: [fileId] },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      expect(sent.body.attachments).toEqual([
        {
          id: fileId,
          name: "card.png",
          mime: "image/png",
          size: png.length,
          url: `/api/v1/uploads/${fileId}`,
        },
      ]);
      const again = await t.api("POST", `/conversations/${conversationId}/messages`, {
        token: as("jane@acme.test"),
        body: { body: "mine now", clientId: "reuse", attachmentIds: [fileId] },
      });
      expect(again.status).toBe(404);

      const sarah = as("sarah@acme.test");
      const me = await t.api("GET", "/me", { token: sarah });
      const pick = await t.api("POST", `/conversations/${conversationId}/assign`, {
        token: sarah,
        body: { assigneeId: me.body.user.id },
      });
      expect(pick.status, JSON.stringify(pick.body)).toBe(200);

      expect(await status("john@acme.test", fileId)).toBe(200);
      expect((await download(sarah, fileId)).rawPayload.equals(png)).toBe(true);
      expect(await status("admin@acme.test", fileId)).toBe(200);
      for (const email of ["jane@acme.test", "homer@globex.test", "marge@globex.test"]) {
        expect(await status(email, fileId), email).toBe(404);
      }
    });

    it("a file on an internal note is for staff only", async () => {
      const sarah = as("sarah@acme.test");
      const note = await uploaded(sarah, "risk-check.pdf", pdf);
      const sent = await t.api("POST", `/conversations/${conversationId}/messages`, {
        token: sarah,
        body: { body: "fraud check", clientId: "note-1", internal: true, attachmentIds: [note.id] },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      expect(await status("sarah@acme.test", note.id)).toBe(200);
      expect(await status("admin@acme.test", note.id)).toBe(200);
      expect(await status("john@acme.test", note.id)).toBe(404);
    });

    it("a file changed on disk is refused with 500 and none of its bytes", async () => {
      const file = await uploaded(as("john@acme.test"), "tampered.txt", text);
      const path = join(uploadsDir(t.config.dataDir), (await rowOf(file.id))!.storageKey);
      const bytes = readFileSync(path);
      bytes[0]! ^= 0xff;
      writeFileSync(path, bytes);
      const res = await download(as("john@acme.test"), file.id);
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: "internal", message: expect.any(String) } });
    });

    it("unknown ids are 404, malformed ones 400", async () => {
      expect(await status("john@acme.test", "00000000-0000-4000-8000-000000000000")).toBe(404);
      expect(await status("john@acme.test", "not-an-id")).toBe(400);
    });
  });

  it("deleteAttachmentFiles removes stored files, tolerates missing ones and ignores foreign names", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-uploads-"));
    try {
      const keys = [randomBytes(16).toString("hex"), randomBytes(16).toString("hex")];
      const outside = join(dir, "outside.txt");
      writeFileSync(outside, "keep me");
      mkdirSync(join(dir, "uploads"));
      for (const key of keys) {
        writeFileSync(join(dir, "uploads", key), "x");
      }
      const gone = randomBytes(16).toString("hex");
      expect(await deleteAttachmentFiles([...keys, gone, "../outside.txt"], dir)).toBe(3);
      expect(readdirSync(join(dir, "uploads"))).toEqual([]);
      expect(readFileSync(outside, "utf8")).toBe("keep me");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
