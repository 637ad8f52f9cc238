import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Stats } from "../../protocol/reports";
import { api, errorMessage } from "../lib/api";
import { Alert } from "../ui";
import { formatDuration, formatPercent, formatRating } from "./dashboard-format";

export const statsKey = ["/stats"] as const;

interface Tile {
  id: string;
  label: string;
  value: ReactNode;
  note?: ReactNode;
  /** Urgent work shows red, as the support console always has. */
  alert?: boolean;
}

function tiles(s: Stats): Tile[] {
  const window = `last ${s.windowDays} days`;
  return [
    { id: "open-tickets", label: "Open tickets", value: s.openTickets },
    { id: "in-progress", label: "In progress", value: s.inProgressTickets },
    {
      id: "urgent",
      label: "Urgent tickets",
      value: s.urgentTickets,
      note: `${s.highTickets} high`,
      alert: s.urgentTickets > 0,
    },
    {
      id: "resolution",
      label: "Average resolution",
      value: formatDuration(s.avgResolutionSeconds),
      note: window,
    },
    {
      id: "first-response",
      label: "Average first response",
      value: formatDuration(s.avgFirstResponseSeconds),
      note: window,
    },
    {
      id: "rating",
      label: "Average rating",
      value: s.avgRating === null ? "—" : `${formatRating(s.avgRating)} / 5`,
      note: `${s.ratingsCount} ${s.ratingsCount === 1 ? "rating" : "ratings"}, ${window}`,
    },
    {
      id: "activity",
      label: "Activity, last 24 hours",
      value: s.activity24h,
      note: `${s.activity7d} in 7 days`,
    },
    {
      id: "queued",
      label: "Chats waiting",
      value: s.queuedChats,
      note: `${s.openConversations} being worked`,
    },
    {
      id: "queued-calls",
      label: "Queued calls",
      value: s.queuedCalls,
      note: "waiting for an answer",
    },
    { id: "active-calls", label: "Active calls", value: s.activeCalls, note: "going on now" },
    {
      id: "staff",
      label: "Staff online",
      value: s.staffOnline,
      note: `${formatPercent(s.staffUtilisation)} of their chat places in use`,
    },
  ];
}

/** The live figures of GET /stats, refreshed every 30 seconds while the page is open. */
export function StatsCards() {
  const stats = useQuery({
    queryKey: statsKey,
    queryFn: () => api.get<Stats>("/stats"),
    refetchInterval: 30_000,
  });
  if (stats.error) return <Alert tone="danger">{errorMessage(stats.error)}</Alert>;
  return (
    <dl className="dashboard-cards" data-testid="dashboard-cards" aria-busy={stats.isPending}>
      {(stats.data ? tiles(stats.data) : []).map((t) => (
        <div
          key={t.id}
          className={["dashboard-card", t.alert && "dashboard-card-alert"].filter(Boolean).join(" ")}
          data-testid={`stat-${t.id}`}
        >
          <dt>{t.label}</dt>
          <dd className="dashboard-card-value" data-testid={`stat-${t.id}-value`}>
            {t.value}
          </dd>
          {t.note && (
            <dd className="dashboard-card-note muted" data-testid={`stat-${t.id}-note`}>
              {t.note}
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}
