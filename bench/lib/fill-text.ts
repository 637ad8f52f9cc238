/**
 * Words and phrases for the scale fill's tickets and messages. Word choice follows a Zipf-like curve (a few words
 * everywhere, most of them rare), so full-text search meets common, middling and rare words as it would in a
 * real help desk.
 */
import type { TicketCategory } from "../../src/protocol/enums";

export type Random = () => number;

/** A small seeded generator (mulberry32): the same tenant index always gets the same data. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

/** Picks by weight: `[[value, weight], …]`. */
export function weighted<T>(random: Random, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table.at(-1)![0];
}

/** Support vocabulary, most frequent first: the benchmark searches words by their rank in this list. */
export const words = (
  "account payment card login error app please help issue problem order transfer balance password update " +
  "email phone number access refund invoice charge subscription statement branch online mobile banking " +
  "message notification screen button page website browser settings profile address verification code " +
  "document upload download report export limit fee interest loan mortgage savings deposit withdrawal " +
  "cash atm pin blocked locked expired renewal delivery shipping tracking parcel receipt confirmation " +
  "cancel cancellation complaint feedback request question urgent delay waiting pending approved declined " +
  "rejected failed missing wrong duplicate twice overdraft currency exchange rate abroad travel international " +
  "contactless wallet token device tablet laptop android iphone version install reinstall crash freeze slow " +
  "timeout connection network wifi signal outage maintenance upgrade migration backup restore sync calendar " +
  "appointment meeting advisor manager colleague support team agent ticket case reference customer client " +
  "business company employee payroll salary tax vat audit compliance regulation consent privacy gdpr data " +
  "deletion erasure copy archive history activity session logout timeout twofactor authenticator sms otp " +
  "fraud suspicious phishing scam stolen lost replacement courier postcode signature identity passport " +
  "licence utility bill direct debit standing mandate beneficiary payee recipient iban swift bic sepa wire " +
  "cheque clearing settlement reversal chargeback dispute merchant terminal pos checkout basket coupon " +
  "discount voucher loyalty points reward cashback statement quarterly annual monthly weekly daily schedule " +
  "reminder alert threshold dashboard widget chart graph analytics integration webhook api key secret " +
  "certificate encryption firewall proxy vpn latency bandwidth quota storage attachment spreadsheet invoice " +
  "pdf printer scanner font layout translation language accessibility contrast keyboard shortcut tutorial " +
  "onboarding trial plan tier enterprise license seat invitation permission role admin owner delegate " +
  "escalation priority deadline milestone roadmap prototype feature suggestion improvement regression bug " +
  "stacktrace exception nullpointer overflow memory leak cpu disk partition kernel driver firmware bios " +
  "bluetooth headset microphone camera webcam speaker echo jitter voicemail callback hotline chatbot kiosk " +
  "sandbox staging production deployment rollback hotfix patch changelog release snapshot nightly"
)
  .split(" ")
  .filter((w, i, all) => all.indexOf(w) === i);

const syllables = "ka zu mi ro te va lo ne qui bra fen dor sal tri mou gex".split(" ");
/** Made-up words, each in about one ticket of 10,000: what a search for a rare term finds. */
export const rareWords = Array.from(
  { length: 256 },
  (_, i) => `${syllables[i % 16]}${syllables[Math.floor(i / 16) % 16]}${syllables[(i * 7 + 3) % 16]}x`,
);

/** A word, common ones far more often than rare ones. */
export const word = (random: Random) =>
  random() < 0.0015
    ? rareWords[Math.floor(random() * rareWords.length)]!
    : words[Math.floor(words.length * random() ** 2.6)]!;

export const sentence = (random: Random, min: number, max: number) =>
  Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => word(random)).join(" ");

const subjects: Record<TicketCategory, readonly string[]> = {
  technical: [
    "App crashes when I open",
    "Cannot load",
    "Error while saving",
    "Slow response on",
    "Sync fails for",
  ],
  billing: [
    "Charged twice for",
    "Refund for",
    "Wrong amount on",
    "Question about fee on",
    "Missing credit for",
  ],
  account: ["Cannot sign in to", "Locked out of", "Change the email on", "Close my", "Update details of"],
  feature_request: ["Please add", "Suggestion for", "Would love export of", "Dark mode for", "Shortcut for"],
  bug_report: ["Button does nothing on", "Wrong total shown in", "Page breaks on", "Duplicate entry in"],
  general: ["Question about", "How do I use", "Opening hours of", "Information on", "Help with"],
  security: ["Suspicious login on", "Phishing email about", "Card stolen, block", "Unknown device on"],
  compliance: ["Request a copy of my data for", "Erase my data from", "Consent for", "Audit request for"],
};

export const subjectFor = (random: Random, category: TicketCategory) =>
  `${pick(random, subjects[category])} ${word(random)} ${word(random)}`;

export const descriptionFor = (random: Random, subject: string) =>
  `${subject}. ${sentence(random, 12, 40)}. ${pick(random, closings)}`;

const closings = [
  "Thanks.",
  "Please help.",
  "Kind regards.",
  "Thank you in advance.",
  "Any idea?",
  "Urgent!",
];
const customerOpenings = ["Hi,", "Hello again,", "Thanks for the reply.", "Still not working:", "Update:"];
const staffOpenings = [
  "Hello,",
  "Thanks for reaching out.",
  "Sorry for the trouble.",
  "Good news:",
  "Hi there,",
];
const noteOpenings = ["Internal:", "Note for the team:", "Checked the logs:", "Escalating because"];

/** Message bodies to draw from: customers' replies, staff answers and internal notes. */
export function messagePool(random: Random, size: number) {
  const body = (openings: readonly string[]) =>
    `${pick(random, openings)} ${sentence(random, 6, 30)}. ${pick(random, closings)}`;
  return {
    customer: Array.from({ length: size }, () => body(customerOpenings)),
    staff: Array.from({ length: size }, () => body(staffOpenings)),
    note: Array.from({ length: Math.ceil(size / 10) }, () => body(noteOpenings)),
  };
}

export const feedback = [
  "Quick and friendly, thank you!",
  "Solved on the first reply.",
  "Took far too long.",
  "Fine in the end.",
  "Nobody read what I wrote.",
  "Excellent support.",
  "Had to explain it three times.",
];

export const firstNames = (
  "Ada Ben Cara Dev Eli Fay Gus Hana Ian Jo Kai Lea Max Nia Oli Pia Raj Sam Tia Uma Vic Wes Xia Yan Zoe " +
  "Amir Bea Cole Dina Emil Fern Gil Ines Jude Kira Liam Mona Ned Oona Pete Rosa Sven Tara Ugo Vera Will"
).split(" ");
export const lastNames = (
  "Abbott Baker Chen Diaz Evans Fischer Garcia Hughes Ito Jensen Kowalski Lopez Meyer Novak Okafor Patel " +
  "Quinn Rossi Schmidt Tanaka Ueda Vogel Wright Xu Young Zimmer Andersen Brown Costa Dubois Eriksen Fontaine"
).split(" ");
export const mailDomains = ["example.com", "example.net", "example.org", "mail.test", "inbox.test"];
export const companyWords = (
  "North South Blue Red Green Iron Silver Golden Bright Swift Clear Prime Apex Summit Harbor River Maple " +
  "Cedar Falcon Orbit"
).split(" ");
export const companyKinds = [
  "Bank",
  "Telecom",
  "Retail",
  "Insurance",
  "Energy",
  "Travel",
  "Health",
  "Logistics",
];
