import { z } from "zod";

export const uploadParams = z.strictObject({ id: z.uuid("must be an id") });

export const downloadQuery = z.strictObject({
  inline: z
    .enum(["0", "1"])
    .optional()
    .describe(
      "1 shows a PNG, JPEG, GIF or WebP image in the page (chat previews); anything else always downloads",
    ),
});

/** An uploaded file as the API shows it; the same shape as a message's `attachments` entries. */
export const uploadSchema = z.object({
  id: z.string(),
  /** The sanitised file name. */
  name: z.string(),
  /** The type found in the bytes, not the one the client claimed. */
  mime: z.string(),
  size: z.number().int(),
  url: z.string().describe("where the file is downloaded"),
});
export type UploadView = z.infer<typeof uploadSchema>;
