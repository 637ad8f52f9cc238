/**
 * What the scale fill writes for one tenant, decided in JavaScript from a seed (the database then expands it):
 * tenant sizes skewed like a real platform's (a few large tenants, many small ones), staff, customers, and each
 * ticket's whole life: when it was opened, answered, resolved, closed, rated and archived.
 */
import { randomUUID } from "node:crypto";
import type { Role } from "../../src/protocol/roles";
import {
  companyKinds,
  companyWords,
  firstNames,
  lastNames,
  mailDomains,
  pick,
  type Random,
  seeded,
} from "./fill-text";
import { type TicketPlan, ticketPlan } from "./fill-tickets-plan";

/** Every filled person's password: staff sign in as admin@scale-001.test, agent01@scale-001.test… */
export const fillPassword = "scale-password-1";

export interface FillSize {
  tenants: number;
  tickets: number;
  messages: number;
}

export interface TenantSize {
  index: number;
  slug: string;
  tickets: number;
  messages: number;
  customers: number;
}

export interface Person {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
}

export interface TenantPlan {
  size: TenantSize;
  name: string;
  teams: Array<{ id: string; name: string; leadId: string }>;
  staff: Person[];
  customers: Person[];
  tickets: TicketPlan[];
}

/** Splits `total` over `weights` exactly (largest remainder). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]! += 1;
  }
  return out;
}

export const slugOf = (index: number) => `scale-${String(index + 1).padStart(3, "0")}`;

/** Tenant i weighs 1/(i+5): with 100 tenants the largest has ~6% of the tickets, the smallest ~0.3%. */
export function tenantSizes(size: FillSize): TenantSize[] {
  const weights = Array.from({ length: size.tenants }, (_, i) => 1 / (i + 5));
  const tickets = apportion(size.tickets, weights);
  // Every ticket opens with one message; the rest follow the tickets.
  const extra = apportion(size.messages - size.tickets, tickets);
  return tickets.map((t, index) => ({
    index,
    slug: slugOf(index),
    tickets: t,
    messages: t + extra[index]!,
    customers: Math.max(10, Math.round(t / 10)),
  }));
}

/** 20 staff: an admin, a supervisor, two team leads with a team each, 16 agents split over the teams. */
export function staffPlan(random: Random, slug: string) {
  const teams = ["Front line", "Specialists"].map((name) => ({ id: randomUUID(), name, leadId: "" }));
  const person = (local: string, role: Person["role"], teamId: string | null): Person => ({
    id: randomUUID(),
    email: `${local}@${slug}.test`,
    name: `${pick(random, firstNames)} ${pick(random, lastNames)}`,
    role,
    teamId,
  });
  const staff = [person("admin", "admin", null), person("supervisor", "supervisor", null)];
  teams.forEach((team, t) => {
    const lead = person(`lead${t + 1}`, "team_lead", team.id);
    team.leadId = lead.id;
    staff.push(lead);
  });
  for (let k = 1; k <= 16; k++)
    staff.push(person(`agent${String(k).padStart(2, "0")}`, "agent", teams[k <= 8 ? 0 : 1]!.id));
  return { teams, staff };
}

/** The tenant's people and tickets; `now` anchors every time so a plan is the same within one run. */
export function tenantPlan(size: TenantSize, now: number): TenantPlan {
  const random = seeded(1_000_003 * (size.index + 1));
  const { teams, staff } = staffPlan(random, size.slug);
  const customers: Person[] = Array.from({ length: size.customers }, (_, k) => {
    const first = pick(random, firstNames);
    const last = pick(random, lastNames);
    return {
      id: randomUUID(),
      email: `${first}.${last}${k + 1}@${pick(random, mailDomains)}`.toLowerCase(),
      name: `${first} ${last}`,
      role: "customer",
      teamId: null,
    };
  });
  const tickets = ticketPlan(random, { size, staff, customers, now });
  return {
    size,
    name: `${pick(random, companyWords)} ${pick(random, companyWords)} ${pick(random, companyKinds)} ${size.index + 1}`,
    teams,
    staff,
    customers,
    tickets,
  };
}
