/**
 * The digit-level machinery under mask.ts: character classes, checksums, digit groups and card detection. mask.ts
 * keeps the rules a reviewer reads against the spec; this file keeps the scanning they rely on.
 */

/** The character that replaces hidden digits and IBAN characters. "•" rather than "*" so Markdown stays inert. */
export const MASK_CHAR = "•";

// Customers on phones type numbers in their own script: Arabic-Indic and Persian/Urdu digits, and fullwidth digits
// from CJK input methods. A card typed that way is still a card.
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0xff10];

/** The value 0–9 of a decimal digit in any of the scripts above, or -1. */
export function digitValue(ch: string | undefined): number {
  if (ch === undefined) return -1;
  const code = ch.charCodeAt(0);
  for (const zero of DIGIT_ZEROS) if (code >= zero && code <= zero + 9) return code - zero;
  return -1;
}

// Separators that may sit between digit groups. No-break and thin spaces arrive when numbers are pasted from
// statements and PDFs; a number they split must not slip past as two short ones.
const SPACES = new Set([" ", "\u00a0", "\u2009", "\u202f"]);
const DASHES = new Set(["-", "\u2011", "\u2013"]);

export function isGroupSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACES.has(ch);
}

export function isGroupSeparator(ch: string | undefined): boolean {
  return ch !== undefined && (SPACES.has(ch) || DASHES.has(ch));
}

const WORDISH = /[\p{L}\p{M}•]/u;

/**
 * A letter glues digits into a word or identifier; "•" means the digits are what an earlier pass left visible.
 * "_" and "*" are left out on purpose: they are Markdown emphasis around a pasted number.
 */
function isWordish(ch: string | undefined): boolean {
  return ch !== undefined && WORDISH.test(ch);
}

// Digits that touch a letter belong to a word or code ("ABC4111…"), and digits that touch a decimal point belong
// to an amount ("0.75"); neither is a number of its own.
export function gluedBefore(text: string, i: number): boolean {
  return isWordish(text[i - 1]) || (text[i - 1] === "." && digitValue(text[i - 2]) >= 0);
}

export function gluedAfter(text: string, end: number): boolean {
  return isWordish(text[end]) || (text[end] === "." && digitValue(text[end + 1]) >= 0);
}

/** Luhn (mod 10) over a string of ASCII digits only; anything else, including separators, is invalid. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * ISO 13616 check: shape (country letters, two check digits, 11–30 alphanumerics; spaces and case ignored) and
 * mod 97 = 1. Country-specific lengths are deliberately not checked: a stale table would let a real IBAN through,
 * which costs more than the rare look-alike that passes mod 97.
 */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, "").toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  let rest = 0;
  // Folding digit by digit keeps the number small; letters count as two digits (A = 10 … Z = 35).
  for (const ch of compact.slice(4) + compact.slice(0, 4)) {
    const v = Number.parseInt(ch, 36);
    rest = (v < 10 ? rest * 10 + v : rest * 100 + v) % 97;
  }
  return rest === 1;
}

export const isDigit = (ch: string | undefined) => digitValue(ch) >= 0;

export interface Group {
  start: number;
  end: number;
  /** The group's digits in ASCII, whatever script they were typed in. */
  digits: string;
  /** Separated from the previous group by a space (a new token) rather than a dash (same token). */
  spaced: boolean;
}

/** Digit groups joined by single spaces or dashes, starting at a digit. */
export function readGroups(text: string, from: number): Group[] {
  const groups: Group[] = [];
  let i = from;
  let spaced = false;
  for (;;) {
    const start = i;
    let digits = "";
    for (let v = digitValue(text[i]); v >= 0; v = digitValue(text[++i])) digits += v;
    groups.push({ start, end: i, digits, spaced });
    if (!isGroupSeparator(text[i]) || digitValue(text[i + 1]) < 0) return groups;
    spaced = isGroupSpace(text[i]);
    i++;
  }
}

const startsWithWww = (text: string, i: number) => text.slice(i, i + 4).toLowerCase() === "www.";

interface Span {
  start: number;
  end: number;
}

/** A stretch of text read as a card number, and the positions of the digits to hide in it. */
export interface Card extends Span {
  hidden: number[];
}

/**
 * Two letters, two check digits and 11–30 alphanumerics, compact or in blocks of four with single spaces. Blocks
 * are bounded, so a failed match costs a constant amount of backtracking and a long text stays linear.
 */
export const IBAN_SHAPE =
  /(?<![\p{L}\p{N}_])[A-Za-z]{2}[0-9]{2}(?:[A-Za-z0-9]{11,30}|(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,3})?)(?![\p{L}\p{N}_])/gu;

// Countries using IBANs: the SWIFT registry plus the national formats in use in West and Central Africa. Only a
// look-alike from one of them is spared by the card scan, so "ref AB12 4111 1111 1111 1111" still hides the card;
// a country missing here costs a half-masked typo, never a visible card.
const IBAN_COUNTRIES = new Set(
  (
    "AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT HN HR HU " +
    "IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU SA " +
    "SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE AO BF BJ CF CG CI CM CV DZ GA GQ GW IR KM MA MG ML MZ NE " +
    "SN TD TG"
  ).split(" "),
);

/**
 * Every Luhn-valid stretch of 12–19 digits on group boundaries that no exclusion claims, in order of start. All
 * stretches are kept rather than one chosen per run, so a stray neighbour ("ref 2026 4111 1111 1111 1111") can
 * add masking but never uncover a card's digits.
 */
const UUID_SHAPE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

export function findCards(text: string): Card[] {
  const cards: Card[] = [];
  // An IBAN look-alike stays whole: a mistyped IBAN ("DE89 3704 0044 0532 0130 01") must not come out half masked.
  // Spans start with letters, so at most one reaches into any run of digits.
  const ibanLike = Array.from(text.matchAll(IBAN_SHAPE))
    .filter((m) => IBAN_COUNTRIES.has(m[0].slice(0, 2).toUpperCase()))
    .map((m) => ({ start: m.index, end: m.index + m[0].length }));
  let nextIban = 0;
  // A UUID is an identifier, never a card, though one in about 3,000 has a Luhn-valid run of 4-4-4 digits inside.
  const uuids = Array.from(text.matchAll(UUID_SHAPE), (m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
  let nextUuid = 0;
  // Whether the current whitespace-delimited token has shown a link so far (scheme or path "/", query "?" or "&").
  let inLink = startsWithWww(text, 0);
  for (let i = 0; i < text.length; ) {
    if (nextUuid < uuids.length && uuids[nextUuid]!.start <= i) {
      i = Math.max(i, uuids[nextUuid++]!.end);
      continue;
    }
    const ch = text[i]!;
    if (isDigit(ch)) {
      const groups = readGroups(text, i);
      while (nextIban < ibanLike.length && ibanLike[nextIban]!.end <= i) nextIban++;
      cardsInRun(text, groups, inLink, ibanLike[nextIban], cards);
      if (groups.some((g) => g.spaced)) inLink = false;
      i = groups[groups.length - 1]!.end;
      continue;
    }
    if (/\s/.test(ch)) inLink = startsWithWww(text, i + 1);
    else if (ch === "/" || ch === "?" || ch === "&") inLink = true;
    i++;
  }
  return cards;
}

// Epoch milli-, micro- and nanoseconds from 2001 to 2033 (13, 16, 19 digits from "1") and compact
// yyyyMMddHHmmss[SSS] stamps fill log lines and database rows; no card scheme issues numbers of those shapes.
const TIMESTAMP =
  /^(?:1(?:\d{12}|\d{15}|\d{18})|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d[0-5]\d(?:\d{3})?)$/;

function cardsInRun(
  text: string,
  groups: Group[],
  inLink: boolean,
  iban: Span | undefined,
  cards: Card[],
): void {
  const blocked = groups.map((g) => iban !== undefined && g.start >= iban.start && g.start < iban.end);
  const block = (from: number, to: number) => blocked.fill(true, from, to);
  const firstTokenEnd = groups.findIndex((g) => g.spaced);
  const lastTokenStart = groups.findLastIndex((g) => g.spaced);
  // Links, glued words and amounts only claim the token they touch; digits after a space are a new token.
  if (inLink || gluedBefore(text, groups[0]!.start)) {
    block(0, firstTokenEnd < 0 ? groups.length : firstTokenEnd);
  }
  if (gluedAfter(text, groups[groups.length - 1]!.end)) block(Math.max(lastTokenStart, 0), groups.length);
  // After "+", the first groups up to E.164's 15 digits are the phone number.
  if (text[groups[0]!.start - 1] === "+") {
    let n = 0;
    for (let k = 0; k < groups.length; k++) {
      n += groups[k]!.digits.length;
      if (n > 15) break;
      blocked[k] = true;
    }
  }
  for (let k = 0; k + 2 < groups.length; k++) {
    if (
      !groups[k + 1]!.spaced &&
      !groups[k + 2]!.spaced &&
      isDate(groups[k]!, groups[k + 1]!, groups[k + 2]!)
    ) {
      block(k, k + 3);
    }
  }
  for (let a = 0; a < groups.length; a++) {
    // No card scheme issues numbers starting with 0; "0044 …" phone numbers and zero-padded ids do.
    if (blocked[a] || groups[a]!.digits.startsWith("0")) continue;
    let digits = "";
    for (let b = a; b < groups.length && !blocked[b]; b++) {
      digits += groups[b]!.digits;
      if (digits.length > 19) break;
      if (digits.length < 12 || (a === b && TIMESTAMP.test(digits)) || !luhnValid(digits)) continue;
      cards.push({
        start: groups[a]!.start,
        end: groups[b]!.end,
        hidden: middle(groups.slice(a, b + 1), digits.length),
      });
    }
  }
}

/** All but the first 6 and the last 4 digits. */
function middle(stretch: Group[], length: number): number[] {
  const hidden: number[] = [];
  let k = 0;
  for (const group of stretch) {
    for (let p = group.start; p < group.end; p++, k++) if (k >= 6 && k < length - 4) hidden.push(p);
  }
  return hidden;
}

/** "2026-11-22", "22-11-2026", "11-22-2026": dash-joined dates, which a long enough run of numbers may contain. */
function isDate(a: Group, b: Group, c: Group): boolean {
  const n = (g: Group) => Number(g.digits);
  const month = (g: Group) => g.digits.length === 2 && n(g) >= 1 && n(g) <= 12;
  const day = (g: Group) => g.digits.length === 2 && n(g) >= 1 && n(g) <= 31;
  if (a.digits.length === 4) return month(b) && day(c);
  return c.digits.length === 4 && ((month(a) && day(b)) || (day(a) && month(b)));
}
