import { z } from "zod";
import { cannedScopes } from "../../../protocol/canned";
import { cannedVariables, unknownVariables } from "../../../protocol/canned-variables";
import { pageQuery } from "../../lib/pagination";
import { containsCardNumber } from "../masking/mask";

export const cannedIdParams = z.strictObject({ id: z.uuid("must be an id") });

const shortcut = z
  .string()
  .min(1, "is required")
  .max(32, "must be at most 32 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "may only hold letters, digits, - and _")
  .refine((s) => !containsCardNumber(s), "must not be a card number");

const title = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

const body = z
  .string()
  .trim()
  .min(1, "is required")
  .max(4000, "must be at most 4000 characters")
  .superRefine((text, ctx) => {
    const unknown = unknownVariables(text);
    if (unknown.length) {
      ctx.addIssue({
        code: "custom",
        message: `uses unknown variables: ${unknown.join(", ")} (known: ${cannedVariables.join(", ")})`,
      });
    }
  });

export const createCannedBody = z.strictObject({
  shortcut,
  title,
  body,
  /** Tenant-wide snippets need canned.manage; personal ones are for whoever creates them. */
  scope: z.enum(cannedScopes),
});

/** The scope is fixed at creation: moving a snippet between scopes is deleting it and creating another. */
export const updateCannedBody = z
  .strictObject({ shortcut: shortcut.optional(), title: title.optional(), body: body.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: "name at least one field to change" });

export const listCannedQuery = z.strictObject({
  ...pageQuery,
  scope: z.enum(cannedScopes).optional(),
  q: z.string().trim().max(100).optional().describe("matches shortcut, title or body"),
});
