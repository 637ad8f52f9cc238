/** How many of the newest messages an email quotes; the rest are counted. */
export const quotedMessages = 5;
const maxQuoteLength = 500;

export interface OfflineMailContent {
  recipientName: string;
  /** Customers get the portal's link; staff the console's. */
  audience: "customer" | "staff";
  conversation: { id: string; number: number; subject: string | null };
  /** Everyone who wrote in the batch, in the order they first did. */
  senders: string[];
  /** How many messages the batch holds. */
  total: number;
  /** The newest few, oldest first; bodies are already masked. */
  quoted: Array<{ senderName: string; body: string }>;
  publicUrl: string;
}

export function conversationLink(c: OfflineMailContent): string {
  const path =
    c.audience === "customer"
      ? `/portal/chats/${c.conversation.id}`
      : `/console/conversations/${c.conversation.id}`;
  return `${c.publicUrl}${path}`;
}

/** Plain text only: nothing a person wrote can turn into markup or a forged link in someone's mail client. */
export function composeOfflineMail(c: OfflineMailContent): { subject: string; body: string } {
  const count = `${c.total} new message${c.total === 1 ? "" : "s"}`;
  const who = namesOf(c.senders);
  const chat = `chat #${c.conversation.number}`;
  const about = c.conversation.subject ? `"${oneLine(c.conversation.subject)}" (${chat})` : chat;
  const quotes = c.quoted.map((m) => `${oneLine(m.senderName)}:\n${indent(clip(m.body) || "(attachment)")}`);
  const lines = [
    `Hello ${oneLine(c.recipientName)},`,
    "",
    `${who} wrote ${count} in ${about} while you were away.`,
    "",
    ...quotes.flatMap((q) => [q, ""]),
    ...(c.total > c.quoted.length ? [`(The latest ${c.quoted.length} of ${c.total} are shown.)`, ""] : []),
    `Read and reply: ${conversationLink(c)}`,
    "",
    "-- ",
    "You get this email because you were offline when the messages arrived.",
  ];
  return { subject: oneLine(`${count} from ${who} (${chat})`).slice(0, 200), body: lines.join("\n") };
}

function namesOf(senders: string[]): string {
  const names = senders.map(oneLine);
  if (names.length <= 2) return names.join(" and ");
  return names.length === 3
    ? `${names[0]}, ${names[1]} and ${names[2]}`
    : `${names[0]}, ${names[1]} and others`;
}

/** Header-safe: a line break in a name or subject must not start a new header or paragraph. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

export function clip(text: string): string {
  return text.length > maxQuoteLength ? `${text.slice(0, maxQuoteLength)}…` : text.trim();
}

export function indent(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `  ${line}`)
    .join("\n");
}
