import { and, eq, ne, sql } from "drizzle-orm";
import type { ReportValue } from "../../../protocol/reports";
import { queryRows } from "../../db/client";
import { conversations as c, tickets as t, teams, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import {
  addCallWork,
  type CallWork,
  callFigureColumns,
  callFigures,
  callWorkByPerson,
  noCallWork,
} from "./report-calls";
import type { Range } from "./report-range";

/** One row per agent or team over the whole range, best first. */
export interface LeaderboardReport {
  kind: "leaderboard";
  columns: string[];
  run(scope: Scope, range: Range): Promise<Array<Record<string, ReportValue>>>;
}

/** What one person did in the range, as sums, so that teams can add people up before dividing. */
interface Work {
  chats: number;
  resolved: number;
  responseSum: number;
  responses: number;
  ratingSum: number;
  ratings: number;
  call: CallWork;
}
const none: Work = {
  chats: 0,
  resolved: 0,
  responseSum: 0,
  responses: 0,
  ratingSum: 0,
  ratings: 0,
  call: noCallWork,
};

/**
 * Work is credited to whoever holds the chat or ticket now: chats started in the range (first response only for
 * chats customers started), tickets resolved in the range, ratings of chats and tickets started in it; calls
 * placed in the range are credited to whoever answered them.
 */
async function workByPerson(scope: Scope, r: Range): Promise<Map<string, Work>> {
  const tenantId = scope.tenantId!;
  const rows = await queryRows<{ id: string } & Record<Exclude<keyof Work, "call">, number>>(
    scope.tx,
    sql`
    select assignee as id, sum(chats)::int as chats, sum(resolved)::int as resolved,
           coalesce(sum(first_response), 0)::float8 as "responseSum", count(first_response)::int as responses,
           coalesce(sum(rating), 0)::int as "ratingSum", count(rating)::int as ratings
    from (
      select ${c.assigneeId} as assignee, 1 as chats, 0 as resolved, ${c.rating} as rating,
             case when ${c.queuedAt} is not null
                  then extract(epoch from ${c.firstResponseAt} - ${c.createdAt})::float8 end as first_response
        from ${c}
       where ${c.tenantId} = ${tenantId} and ${c.kind} = 'support' and ${c.assigneeId} is not null
         and ${r.within(sql`${c.createdAt}`)}
      union all
      select ${t.assigneeId}, 0, 0, ${t.rating}, extract(epoch from ${t.firstResponseAt} - ${t.createdAt})::float8
        from ${t}
       where ${t.tenantId} = ${tenantId} and ${t.assigneeId} is not null and ${r.within(sql`${t.createdAt}`)}
      union all
      select ${t.assigneeId}, 0, 1, null, null
        from ${t}
       where ${t.tenantId} = ${tenantId} and ${t.assigneeId} is not null and ${r.within(sql`${t.resolvedAt}`)}
    ) work group by assignee`,
  );
  const work = new Map(rows.map(({ id, ...w }) => [id, mapValues(w)]));
  for (const [id, call] of await callWorkByPerson(scope, r))
    work.set(id, { ...(work.get(id) ?? none), call });
  return work;
}

const mapValues = (w: Record<Exclude<keyof Work, "call">, number>): Work => ({
  chats: Number(w.chats),
  resolved: Number(w.resolved),
  responseSum: Number(w.responseSum),
  responses: Number(w.responses),
  ratingSum: Number(w.ratingSum),
  ratings: Number(w.ratings),
  call: noCallWork,
});

function add(a: Work, b: Work): Work {
  return {
    chats: a.chats + b.chats,
    resolved: a.resolved + b.resolved,
    responseSum: a.responseSum + b.responseSum,
    responses: a.responses + b.responses,
    ratingSum: a.ratingSum + b.ratingSum,
    ratings: a.ratings + b.ratings,
    call: addCallWork(a.call, b.call),
  };
}

function figures(w: Work) {
  return {
    chatsHandled: w.chats,
    ticketsResolved: w.resolved,
    avgFirstResponseSeconds: w.responses ? Math.round(w.responseSum / w.responses) : null,
    avgRating: w.ratings ? Math.round((w.ratingSum / w.ratings) * 100) / 100 : null,
    ratings: w.ratings,
    ...callFigures(w.call),
  };
}
const figureColumns = [
  "chatsHandled",
  "ticketsResolved",
  "avgFirstResponseSeconds",
  "avgRating",
  "ratings",
  ...callFigureColumns,
];

/** Most work first (chats handled, tickets resolved and calls answered), then the better rating, then by name. */
function ranked<T extends { name: string; work: Work }>(rows: T[]): T[] {
  const score = (w: Work) => w.chats + w.resolved + w.call.calls;
  const rating = (w: Work) => (w.ratings ? w.ratingSum / w.ratings : -1);
  return rows.sort(
    (a, b) =>
      score(b.work) - score(a.work) || rating(b.work) - rating(a.work) || a.name.localeCompare(b.name),
  );
}

const busy = (w: Work) => w.chats + w.resolved + w.responses + w.ratings + w.call.calls > 0;

async function staffOf(scope: Scope) {
  return scope.tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      status: users.status,
      teamId: users.teamId,
    })
    .from(users)
    .where(and(eq(users.tenantId, scope.tenantId!), ne(users.role, "customer")));
}

const teamsOf = (scope: Scope) =>
  scope.tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.tenantId, scope.tenantId!));

export const agentsReport: LeaderboardReport = {
  kind: "leaderboard",
  columns: ["agentId", "name", "email", "role", "team", ...figureColumns],
  async run(scope, range) {
    const work = await workByPerson(scope, range);
    const staff = await staffOf(scope);
    const teamRows = await teamsOf(scope);
    const teamName = new Map(teamRows.map((tm) => [tm.id, tm.name]));
    // Everyone active is on the board, and anyone since deactivated who did something in the range.
    const people = staff
      .map((s) => ({ ...s, work: work.get(s.id) ?? none }))
      .filter((s) => s.status === "active" || busy(s.work));
    return ranked(people).map((s) => ({
      agentId: s.id,
      name: s.name,
      email: s.email,
      role: s.role,
      team: s.teamId ? (teamName.get(s.teamId) ?? null) : null,
      ...figures(s.work),
    }));
  },
};

export const teamsReport: LeaderboardReport = {
  kind: "leaderboard",
  columns: ["teamId", "team", "members", ...figureColumns],
  // A person's work counts for the team they are in now; work of people in no team is a row of its own.
  async run(scope, range) {
    const work = await workByPerson(scope, range);
    const staff = await staffOf(scope);
    const teamRows = await teamsOf(scope);
    const groups = new Map<string | null, { members: number; work: Work }>();
    for (const tm of teamRows) groups.set(tm.id, { members: 0, work: none });
    for (const s of staff) {
      const group = groups.get(s.teamId) ?? { members: 0, work: none };
      groups.set(s.teamId, {
        members: group.members + (s.status === "active" ? 1 : 0),
        work: add(group.work, work.get(s.id) ?? none),
      });
    }
    const rows = teamRows.map((tm) => ({ id: tm.id as string | null, name: tm.name, ...groups.get(tm.id)! }));
    const loose = groups.get(null);
    if (loose && busy(loose.work)) rows.push({ id: null, name: "No team", ...loose });
    return ranked(rows).map((g) => ({
      teamId: g.id,
      team: g.name,
      members: g.members,
      ...figures(g.work),
    }));
  },
};
