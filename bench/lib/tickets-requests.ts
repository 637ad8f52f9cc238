/**
 * The requests of the tickets benchmark: the staff ticket list with filters and paging, search by word, by a
 * customer's email and by number, and the live statistics. Each kind draws its parameters from what the filled
 * database holds (staff, customers with tickets, ticket numbers), read once before the run.
 */
import type pg from "pg";
import { ticketCategories, ticketPriorities, ticketStatuses } from "../../src/protocol/enums";
import { type Random, rareWords, words } from "./fill-text";

/** A tenant as the benchmark uses it: two signed-in staff and what their requests may name. */
export interface BenchTenant {
  slug: string;
  id: string;
  tickets: number;
  adminToken: string;
  agentToken: string;
  /** Agents and team leads: who tickets are assigned to. */
  workers: string[];
  /** Customers who have tickets. */
  emails: string[];
}

export interface Sample {
  ms: number;
  status: number;
  items: number;
}

/** Sends one timed GET; the time covers the whole answer, body included. */
export type Timed = (path: string, token: string) => Promise<Sample & { nextCursor: string | null }>;

export interface Kind {
  name: string;
  group: "list" | "search" | "stats";
  /** What the request is, for the summary. */
  about: string;
  /** One unit of work: one timed request, or a few (paging), returning their samples. */
  run(t: BenchTenant, random: Random, timed: Timed): Promise<Sample[]>;
}

const pick = <T>(random: Random, items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const some = <T>(random: Random, items: readonly T[], max: number) => {
  const n = 1 + Math.floor(random() * max);
  return [...new Set(Array.from({ length: n }, () => pick(random, items)))];
};
const liveStatuses = ticketStatuses.filter((s) => s !== "closed");
const qs = (params: Record<string, string | undefined>) =>
  new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();
const one = (path: string, token: string, timed: Timed) => timed(path, token).then((s) => [s]);

export const kinds: Kind[] = [
  {
    name: "list.default",
    group: "list",
    about: "GET /tickets: the newest activity first, no filter",
    run: (t, _r, timed) => one("/tickets", t.adminToken, timed),
  },
  {
    name: "list.status",
    group: "list",
    about: "?status= one or two statuses",
    run: (t, r, timed) =>
      one(`/tickets?${qs({ status: some(r, liveStatuses, 2).join(",") })}`, t.adminToken, timed),
  },
  {
    name: "list.filters",
    group: "list",
    about: "?status=&priority=&category= together",
    run: (t, r, timed) =>
      one(
        `/tickets?${qs({
          status: some(r, ticketStatuses, 3).join(","),
          priority: some(r, ticketPriorities, 2).join(","),
          category: pick(r, ticketCategories),
        })}`,
        t.adminToken,
        timed,
      ),
  },
  {
    name: "list.assignee",
    group: "list",
    about: "?assigneeId= someone, me (an agent) or none, sometimes with a status",
    run: (t, r, timed) => {
      const choice = r();
      const token = choice < 0.3 ? t.agentToken : t.adminToken;
      const assigneeId = choice < 0.3 ? "me" : choice < 0.4 ? "none" : pick(r, t.workers);
      const status = r() < 0.5 ? pick(r, liveStatuses) : undefined;
      return one(`/tickets?${qs({ assigneeId, status })}`, token, timed);
    },
  },
  {
    name: "list.pages",
    group: "list",
    about: "pages 2 to 5 through nextCursor (page 1 untimed), unfiltered or by status",
    async run(t, r, timed) {
      const base = r() < 0.5 ? {} : { status: pick(r, ["closed", "resolved"]) };
      let cursor = (await timed(`/tickets?${qs(base)}`, t.adminToken)).nextCursor;
      const out: Sample[] = [];
      for (let page = 2; page <= 5 && cursor; page++) {
        const s = await timed(`/tickets?${qs({ ...base, cursor })}`, t.adminToken);
        out.push(s);
        cursor = s.nextCursor;
      }
      return out;
    },
  },
  {
    name: "search.common",
    group: "search",
    about: "?q= one of the 20 most frequent words",
    run: (t, r, timed) => one(`/tickets?${qs({ q: pick(r, words.slice(0, 20)) })}`, t.adminToken, timed),
  },
  {
    name: "search.word",
    group: "search",
    about: "?q= a word of middling to low frequency",
    run: (t, r, timed) => one(`/tickets?${qs({ q: pick(r, words.slice(20)) })}`, t.adminToken, timed),
  },
  {
    name: "search.rare",
    group: "search",
    about: "?q= a rare word (in about 1 ticket of 6,000)",
    run: (t, r, timed) => one(`/tickets?${qs({ q: pick(r, rareWords) })}`, t.adminToken, timed),
  },
  {
    name: "search.email",
    group: "search",
    about: "?q= a customer's whole email",
    run: (t, r, timed) => one(`/tickets?${qs({ q: pick(r, t.emails) })}`, t.adminToken, timed),
  },
  {
    name: "search.number",
    group: "search",
    about: "?q=TKT-000123 a ticket's number",
    run: (t, r, timed) => {
      const number = 1 + Math.floor(r() * t.tickets);
      return one(`/tickets?${qs({ q: `TKT-${String(number).padStart(6, "0")}` })}`, t.adminToken, timed);
    },
  },
  {
    name: "stats",
    group: "stats",
    about: "GET /stats",
    run: (t, _r, timed) => one("/stats", t.adminToken, timed),
  },
];

/** What the requests may name in one tenant, read as the tables' owner before the run. */
export async function tenantFacts(client: pg.Client, slug: string) {
  const tenant = await client.query<{ id: string; tickets: number }>(
    `select t.id, c.value as tickets from tenants t
       join counters c on c.tenant_id = t.id and c.name = 'ticket' where t.slug = $1`,
    [slug],
  );
  if (!tenant.rowCount) throw new Error(`tenant ${slug} is not in the filled database`);
  const { id, tickets } = tenant.rows[0]!;
  const workers = await client.query<{ id: string }>(
    "select id from users where tenant_id = $1 and role in ('agent', 'team_lead')",
    [id],
  );
  const emails = await client.query<{ email: string }>(
    `select u.email from users u where u.tenant_id = $1 and u.role = 'customer'
       and exists (select 1 from tickets t where t.tenant_id = $1 and t.customer_id = u.id)
     order by md5(u.id::text) limit 300`,
    [id],
  );
  return { id, tickets, workers: workers.rows.map((w) => w.id), emails: emails.rows.map((e) => e.email) };
}

/** The filled database's size and contents; throws with the command to run when it is not filled. */
export async function describeDatabase(client: pg.Client, name: string) {
  const { rows } = await client.query<{ tenants: number; tickets: number; messages: string; bytes: string }>(
    `select (select count(*)::int from tenants where slug ~ '^scale-[0-9]{3}$') as tenants,
       (select coalesce(sum(value), 0)::int from counters where name = 'ticket') as tickets,
       (select reltuples::bigint from pg_class where relname = 'messages') as messages,
       pg_database_size(current_database()) as bytes`,
  );
  const r = rows[0]!;
  if (!r.tenants) throw new Error(`${name} holds no filled tenants: run \`npm run bench:fill\` first`);
  return {
    name,
    bytes: Number(r.bytes),
    tenants: r.tenants,
    tickets: r.tickets,
    messages: Number(r.messages),
  };
}

/** The largest tenant, the 5th and 20th largest, and the smallest (of those the fill wrote). */
export async function defaultTenants(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ slug: string }>(
    "select slug from tenants where slug ~ '^scale-[0-9]{3}$' order by slug",
  );
  const slugs = rows.map((r) => r.slug);
  return [...new Set([0, 4, 19, slugs.length - 1].filter((i) => i < slugs.length).map((i) => slugs[i]!))];
}
