import type { FastifyRequest } from "fastify";
import { invalid } from "./errors";

interface Node {
  value: unknown;
  key: string;
  parent: Node | null;
}

const pathOf = (node: Node): string => {
  const keys: string[] = [];
  for (let n: Node | null = node; n; n = n.parent) if (n.key) keys.push(n.key);
  return keys.reverse().join(".");
};

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying one would fail in the database as a 500. Requests are
 * checked here instead (path parameters, query and JSON body, keys included), and answered 400 naming the field.
 * The walk is iterative: a deeply nested body cannot exhaust the stack.
 */
export async function rejectNulCharacters(req: FastifyRequest): Promise<void> {
  const fields: Record<string, string> = {};
  const stack: Node[] = [req.params, req.query, req.body].map((value) => ({ value, key: "", parent: null }));
  while (stack.length && Object.keys(fields).length < 20) {
    const node = stack.pop()!;
    if (typeof node.value === "string") {
      if (node.value.includes("\u0000")) fields[pathOf(node) || "body"] = "must not contain NUL characters";
    } else if (node.value && typeof node.value === "object") {
      for (const [key, value] of Object.entries(node.value)) {
        const child = { value, key, parent: node };
        if (key.includes("\u0000")) fields[pathOf(child)] = "must not contain NUL characters";
        else stack.push(child);
      }
    }
  }
  if (Object.keys(fields).length) throw invalid(fields);
}
