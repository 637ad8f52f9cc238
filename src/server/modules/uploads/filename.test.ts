import { describe, expect, it } from "vitest";
import { contentDisposition, extensionOf, limitLength, sanitizeFilename } from "./filename";

describe("file names", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\john\\statement.pdf", "statement.pdf"],
    ["in\u0000voice\u0007.pdf", "invoice.pdf"],
    ["invoice\u202egnp.exe", "invoicegnp.exe"],
    ["  .hidden  ", "hidden"],
    ["report...", "report"],
    ['a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"],
    ["tab\there  and\nthere.txt", "tab here and there.txt"],
    ["", "file"],
    ["...", "file"],
    ["Cafe\u0301.txt", "Café.txt"],
  ])("%j becomes %j", (raw, safe) => {
    expect(sanitizeFilename(raw)).toBe(safe);
  });

  it("finds extensions, not leading dots", () => {
    expect(extensionOf("a.tar.GZ")).toBe("gz");
    expect(extensionOf("README")).toBe("");
    expect(extensionOf(".env")).toBe("");
  });

  it("cuts long names in whole characters and keeps the extension", () => {
    const long = `${"€".repeat(250)}.docx`;
    const cut = limitLength(long);
    expect([...cut]).toHaveLength(200);
    expect(cut.endsWith("€.docx")).toBe(true);
    expect(limitLength("short.txt")).toBe("short.txt");
  });

  it("writes a Content-Disposition that quotes cannot break", () => {
    expect(contentDisposition("attachment", 'say "hi"\\.txt')).toBe(
      `attachment; filename="say _hi__.txt"; filename*=UTF-8''say%20%22hi%22%5C.txt`,
    );
    expect(contentDisposition("inline", "it's (1).png")).toBe(
      `inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`,
    );
  });
});
