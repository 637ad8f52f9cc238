import { sql } from "drizzle-orm";
import type { Role } from "../../protocol/roles";
import { runScoped, type Scope, systemActor } from "../lib/scope";
import { recordActivity } from "../modules/audit/record-activity";
import { hashPassword } from "../modules/auth/password";
import type { Db } from "./client";
import { cannedResponses, teams, tenants, users } from "./schema";
import { inSystem } from "./tenant-scope";

export const demoPassword = "demo-password-1";

interface DemoPerson {
  email: string;
  name: string;
  role: Role;
  leadStatus?: string;
}

export const demoTenants: Array<{ slug: string; name: string; team: string; people: DemoPerson[] }> = [
  {
    slug: "acme",
    name: "Acme Bank",
    team: "Front Desk",
    people: [
      { email: "admin@acme.test", name: "Olivia Grant", role: "admin" },
      { email: "supervisor@acme.test", name: "Priya Patel", role: "supervisor" },
      { email: "lead@acme.test", name: "Tom Baker", role: "team_lead" },
      { email: "sarah@acme.test", name: "Sarah Johnson", role: "agent" },
      { email: "mike@acme.test", name: "Mike Chen", role: "agent" },
      { email: "john@acme.test", name: "John Doe", role: "customer" },
      { email: "jane@acme.test", name: "Jane Smith", role: "customer" },
      { email: "bob@acme.test", name: "Bob Wilson", role: "customer" },
      { email: "alice.brown@startup.test", name: "Alice Brown", role: "customer", leadStatus: "new" },
      { email: "david.lee@enterprise.test", name: "David Lee", role: "customer", leadStatus: "contacted" },
      { email: "emma.garcia@creative.test", name: "Emma Garcia", role: "customer", leadStatus: "qualified" },
    ],
  },
  {
    slug: "globex",
    name: "Globex",
    team: "Support",
    people: [
      { email: "admin@globex.test", name: "Hank Scorpio", role: "admin" },
      { email: "homer@globex.test", name: "Homer Simpson", role: "agent" },
      { email: "marge@globex.test", name: "Marge Simpson", role: "customer" },
    ],
  },
];
/** Acme's shared snippets, offered in the composer after `/`. */
export const demoCannedResponses: Record<string, Array<{ shortcut: string; title: string; body: string }>> = {
  acme: [
    {
      shortcut: "hello",
      title: "Greeting",
      body: "Hi {{customer.firstName}}, I'm {{agent.firstName}} from Acme Bank. How can I help?",
    },
    {
      shortcut: "card-lost",
      title: "Lost or stolen card",
      body:
        "I'm sorry to hear that, {{customer.firstName}}. I've noted it on conversation #{{conversation.number}}. " +
        "To keep your money safe, please freeze the card now in the app under Cards → Freeze; we will send a " +
        "replacement to your address on file within 3 working days. Never share your PIN or the card's security code.",
    },
    {
      shortcut: "thanks",
      title: "Thanks and goodbye",
      body: "Thank you for contacting {{tenant.name}}, {{customer.firstName}}. Have a great day!",
    },
  ],
};

export const demoSuperAdmin = { email: "root@switchboard.test", name: "Platform Admin" };

export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await inSystem(db, (tx) => tx.select({ id: tenants.id }).from(tenants).limit(1));
  return rows.length === 0;
}

/** Demo tenants, people and a team, each creation in the audit trail. Leads have no password. */
export async function seedDemo(db: Db): Promise<Array<{ tenant: string; email: string; role: Role }>> {
  const passwordHash = await hashPassword(demoPassword);
  const signIns: Array<{ tenant: string; email: string; role: Role }> = [];
  await runScoped(db, null, systemActor, async (scope) => {
    await scope.tx
      .insert(users)
      .values({ tenantId: null, ...demoSuperAdmin, role: "super_admin", passwordHash });
    signIns.push({ tenant: "", email: demoSuperAdmin.email, role: "super_admin" });
  });
  for (const demo of demoTenants) {
    const [tenant] = await inSystem(db, (tx) =>
      tx.insert(tenants).values({ slug: demo.slug, name: demo.name }).returning(),
    );
    await runScoped(db, tenant!.id, systemActor, async (scope) => {
      await recordActivity(scope, {
        action: "tenant.created",
        subjectType: "tenant",
        subjectId: tenant!.id,
        newValue: { slug: demo.slug, name: demo.name },
      });
      const created = await scope.tx
        .insert(users)
        .values(
          demo.people.map((p) => ({
            tenantId: tenant!.id,
            email: p.email,
            name: p.name,
            role: p.role,
            leadStatus: p.leadStatus ?? null,
            passwordHash: p.leadStatus ? null : passwordHash,
          })),
        )
        .returning();
      for (const user of created) {
        await recordActivity(scope, {
          action: user.role === "customer" ? "customer.created" : "staff.created",
          subjectType: "user",
          subjectId: user.id,
          newValue: { email: user.email, name: user.name, role: user.role },
        });
        if (!user.leadStatus) signIns.push({ tenant: demo.slug, email: user.email, role: user.role });
      }
      const lead = created.find((u) => u.role === "team_lead") ?? created.find((u) => u.role === "admin");
      const [team] = await scope.tx
        .insert(teams)
        .values({ tenantId: tenant!.id, name: demo.team, leadId: lead!.id })
        .returning();
      await scope.tx
        .update(users)
        .set({ teamId: team!.id })
        .where(sql`${users.role} in ('agent', 'team_lead')`);
      await recordActivity(scope, {
        action: "team.created",
        subjectType: "team",
        subjectId: team!.id,
        newValue: { name: team!.name, leadId: team!.leadId },
      });
      await seedCannedResponses(scope, demo.slug);
    });
  }
  return signIns;
}

/** Shared snippets for a demo tenant; ones already there (by shortcut) are left as they are. */
async function seedCannedResponses(scope: Scope, slug: string): Promise<void> {
  const snippets = demoCannedResponses[slug] ?? [];
  if (!snippets.length) return;
  const created = await scope.tx
    .insert(cannedResponses)
    .values(snippets.map((c) => ({ tenantId: scope.tenantId!, ownerId: null, ...c })))
    .onConflictDoNothing()
    .returning();
  for (const row of created) {
    await recordActivity(scope, {
      action: "canned_response.created",
      subjectType: "canned_response",
      subjectId: row.id,
      newValue: { shortcut: row.shortcut, title: row.title, body: row.body, scope: "tenant", ownerId: null },
    });
  }
}

/** Removes every tenant and platform user, for `npm run db:seed` on a database that has data. */
export async function clearAll(db: Db): Promise<void> {
  await inSystem(db, (tx) =>
    tx.execute(sql`truncate tenants, users, sessions, api_tokens, teams, activity, idempotency_keys cascade`),
  );
}
