import {
  type Card,
  findCards,
  gluedAfter,
  IBAN_SHAPE,
  ibanValid,
  isDigit,
  MASK_CHAR,
  readGroups,
} from "./scan";

export { ibanValid, luhnValid, MASK_CHAR } from "./scan";

export type MaskKind = "card" | "cvv" | "pin" | "account" | "iban";

/** Cards, CVVs and PINs are always masked (PCI DSS); the other two can be turned off per tenant. */
export interface MaskOptions {
  accountNumbers?: boolean;
  ibans?: boolean;
}

export interface MaskResult {
  text: string;
  /** Each kind found at most once, always in MaskKind's declared order so callers and audit entries compare equal. */
  masked: MaskKind[];
}

/** What a removed CVV or PIN becomes: even its length is a hint worth withholding. */
export const REMOVED = "[removed]";

const KIND_ORDER: readonly MaskKind[] = ["card", "cvv", "pin", "account", "iban"];

/**
 * Masks card numbers, CVVs, PINs, account numbers and IBANs in chat text. The passes run IBAN → keyword-anchored
 * values → cards: each pass replaces the digits it claims, so a later pass cannot claim them again.
 */
export function maskSensitive(text: string, options: MaskOptions = {}): MaskResult {
  const found = new Set<MaskKind>();
  let out = text;
  if (options.ibans !== false) out = maskIbans(out, found);
  for (const rule of KEYWORD_RULES) {
    if (rule.kind !== "account" || options.accountNumbers !== false) {
      out = maskKeywordValues(out, rule, found);
    }
  }
  const hide = new Set(findCards(out).flatMap((card) => card.hidden));
  if (hide.size > 0) {
    found.add("card");
    // By UTF-16 index, like the positions: iterating code points would shift them after an emoji.
    let hidden = "";
    for (let i = 0; i < out.length; i++) hidden += hide.has(i) ? MASK_CHAR : out[i];
    out = hidden;
  }
  return { text: out, masked: KIND_ORDER.filter((kind) => found.has(kind)) };
}

/**
 * True if the text still holds something maskSensitive would treat as a card. It applies the same exclusions
 * (links, phone numbers, glued digits, timestamps), so it is false for every output of maskSensitive and an order
 * id in a logged URL raises no alarm.
 */
export function containsCardNumber(text: string): boolean {
  return findCards(text).length > 0;
}

interface Edit {
  start: number;
  end: number;
  replacement: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = "";
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.start) + edit.replacement;
    at = edit.end;
  }
  return out + text.slice(at);
}

/** Hides every character `counts` accepts, except the ones `keep` spares by their index among them. */
function hideExcept(
  s: string,
  counts: (ch: string) => boolean,
  keep: (index: number, total: number) => boolean,
) {
  const total = Array.from(s).filter(counts).length;
  let index = 0;
  return Array.from(s, (ch) => (counts(ch) ? (keep(index++, total) ? ch : MASK_CHAR) : ch)).join("");
}

// ---------------------------------------------------------------------------------------------------------------
// IBANs

function maskIbans(text: string, found: Set<MaskKind>): string {
  const shape = new RegExp(IBAN_SHAPE.source, "gu");
  const edits: Edit[] = [];
  for (let m = shape.exec(text); m; m = shape.exec(text)) {
    const iban = longestValidIban(m[0]);
    if (!iban) {
      // A failed look-alike may swallow the start of a real IBAN ("ID12 GB82 WEST …"), so retry just after it.
      shape.lastIndex = m.index + 1;
      continue;
    }
    edits.push({
      start: m.index,
      end: m.index + iban.length,
      replacement: hideExcept(
        iban,
        (ch) => ch !== " ",
        (i, total) => i < 2 || i >= total - 4,
      ),
    });
    shape.lastIndex = m.index + iban.length;
  }
  if (edits.length > 0) found.add("iban");
  return applyEdits(text, edits);
}

/**
 * The shape is greedy, so "… 7654 32 from" may have taken a word as a final block; shorter block prefixes are
 * tried before giving up. Every real BBAN carries a numeric bank or account part, so fewer than four digits means
 * words that happen to come in fours ("AB12 from your team").
 */
function longestValidIban(candidate: string): string | undefined {
  const blocks = candidate.split(" ");
  for (let n = blocks.length; n >= 1; n--) {
    const iban = blocks.slice(0, n).join(" ");
    if (ibanValid(iban) && Array.from(iban.slice(4)).filter(isDigit).length >= 4) return iban;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Values announced by a keyword: CVV, PIN, account number

interface KeywordRule {
  kind: "cvv" | "pin" | "account";
  keyword: RegExp;
  min: number;
  max: number;
}

// "pincode" (one word) is a postal code in India and stays; "PIN code" (two words) is a PIN.
const KEYWORD_RULES: readonly KeywordRule[] = [
  { kind: "cvv", keyword: /\b(?:cvv2?|cvc2?|cid|security[ \t]+code)\b/gi, min: 3, max: 4 },
  { kind: "pin", keyword: /\bpin\b/gi, min: 4, max: 6 },
  { kind: "account", keyword: /\b(?:account|acct|acc|a\/c)\b/gi, min: 6, max: 17 },
];

// Between keyword and value: punctuation and a few filler words ("account no. is: 12…", "PIN code 1234"). Each
// piece is bounded, and so is the number of pieces, so no keyword can make the scan quadratic.
const FILLER = /[\s:=#.-]{1,12}|(?:is|no|nr|number|num|code)(?![\p{L}\p{N}_])/iuy;

function valueStart(text: string, from: number): number {
  let at = from;
  for (let pieces = 0; pieces < 8; pieces++) {
    FILLER.lastIndex = at;
    const m = FILLER.exec(text);
    if (!m) break;
    at += m[0].length;
  }
  return at;
}

/** A keyword's value, and the end of the run of digit groups it was taken from. */
interface ValueEdit extends Edit {
  runEnd: number;
}

function maskKeywordValues(text: string, rule: KeywordRule, found: Set<MaskKind>): string {
  const edits: Edit[] = [];
  const cardsIn = cardLookup(text);
  let after = 0;
  for (const m of text.matchAll(rule.keyword)) {
    if (m.index < after) continue;
    const start = valueStart(text, m.index + m[0].length);
    if (!isDigit(text[start])) continue;
    const edit = rule.kind === "account" ? accountEdit(text, start, rule) : codeEdit(text, start, rule);
    if (!edit) continue;
    edits.push(edit);
    found.add(rule.kind);
    // Taking "4111" from "cvv 4111 1111 1111 1111" would leave twelve digits too few to be found as a card, so
    // every card the run holds is hidden now, in the same edit.
    const hidden = new Set(cardsIn(start, edit.runEnd).flatMap((card) => card.hidden));
    const rest = [...hidden].filter((p) => p >= edit.end).sort((a, b) => a - b);
    for (const p of rest) edits.push({ start: p, end: p + 1, replacement: MASK_CHAR });
    if (rest.length > 0) found.add("card");
    after = edit.runEnd;
  }
  return applyEdits(text, edits);
}

/** Cards starting in [start, end); calls must come in order of start, as the keyword matches do. */
function cardLookup(text: string): (start: number, end: number) => Card[] {
  // Found on first use only: most messages have no keyword, and scanning for cards is the costly part.
  let cards: Card[] | undefined;
  let first = 0;
  return (start, end) => {
    cards ??= findCards(text);
    while (first < cards.length && cards[first]!.start < start) first++;
    const inside: Card[] = [];
    for (let i = first; i < cards.length && cards[i]!.start < end; i++) inside.push(cards[i]!);
    return inside;
  };
}

/** A CVV or PIN is the first digit group after its keyword; any other length is some other number and stays. */
function codeEdit(text: string, start: number, rule: KeywordRule): ValueEdit | undefined {
  const groups = readGroups(text, start);
  const { end, digits } = groups[0]!;
  const runEnd = groups[groups.length - 1]!.end;
  if (digits.length < rule.min || digits.length > rule.max || gluedAfter(text, runEnd)) return undefined;
  return { start, end, runEnd, replacement: REMOVED };
}

/**
 * An account number is the whole run of groups after its keyword when that run has 6–17 digits. A longer run is
 * an account number followed by something else only if its first group fits alone and a space follows
 * ("account 12345678 4111 1111 1111 1111"); otherwise the digits are left to the card pass.
 */
function accountEdit(text: string, start: number, rule: KeywordRule): ValueEdit | undefined {
  const groups = readGroups(text, start);
  const total = groups.reduce((sum, g) => sum + g.digits.length, 0);
  const first = groups[0]!;
  const runEnd = groups[groups.length - 1]!.end;
  let end: number;
  if (total <= rule.max) end = runEnd;
  else if (first.digits.length <= rule.max && groups[1]?.spaced) end = first.end;
  else return undefined;
  const taken = text.slice(start, end);
  if (Array.from(taken).filter(isDigit).length < rule.min || gluedAfter(text, runEnd)) return undefined;
  return { start, end, runEnd, replacement: hideExcept(taken, isDigit, (i, count) => i >= count - 4) };
}
