/**
 * Variables in canned responses, filled in when a snippet is inserted into a message. Pure and free of
 * dependencies: the composer fills them in the browser and the server checks snippets against the same list.
 */

export const cannedVariables = [
  "customer.firstName",
  "customer.name",
  "customer.email",
  "agent.firstName",
  "agent.name",
  "tenant.name",
  "conversation.number",
] as const;
export type CannedVariable = (typeof cannedVariables)[number];

/** What a snippet is filled in with; anything missing (no customer yet, say) becomes an empty string. */
export interface CannedContext {
  customer?: { name?: string | null; email?: string | null } | null;
  agent?: { name?: string | null } | null;
  tenant?: { name?: string | null } | null;
  conversation?: { number?: number | null } | null;
}

/** `{{name}}`, spaces inside the braces allowed; a name is anything without braces. */
const variablePattern = /\{\{([^{}]*)\}\}/g;

const known = new Set<string>(cannedVariables);

export function isCannedVariable(name: string): name is CannedVariable {
  return known.has(name);
}

function firstName(name: string | null | undefined): string {
  return name?.trim().split(/\s+/)[0] ?? "";
}

export function variableValues(context: CannedContext): Record<CannedVariable, string> {
  const number = context.conversation?.number;
  return {
    "customer.firstName": firstName(context.customer?.name),
    "customer.name": context.customer?.name?.trim() ?? "",
    "customer.email": context.customer?.email ?? "",
    "agent.firstName": firstName(context.agent?.name),
    "agent.name": context.agent?.name?.trim() ?? "",
    "tenant.name": context.tenant?.name?.trim() ?? "",
    "conversation.number": number === null || number === undefined ? "" : String(number),
  };
}

/**
 * The snippet's text with its known variables replaced. An unknown variable stays as written, so whoever sends
 * it notices before the customer does. Values are inserted in one pass: a name containing `{{…}}` stays text.
 */
export function fillVariables(body: string, context: CannedContext): string {
  const values = variableValues(context);
  return body.replace(variablePattern, (whole, inner: string) => {
    const name = inner.trim();
    return isCannedVariable(name) ? values[name] : whole;
  });
}

/** Every `{{…}}` in the text that names no known variable, as written, each once. */
export function unknownVariables(body: string): string[] {
  const found = new Set<string>();
  for (const match of body.matchAll(variablePattern)) {
    if (!isCannedVariable((match[1] ?? "").trim())) found.add(match[0]);
  }
  return [...found];
}
