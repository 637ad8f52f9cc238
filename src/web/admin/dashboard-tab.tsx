import "./dashboard.css";
import { hasPermission } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";
import { StatsCards } from "./dashboard-cards";
import { bucketLabel } from "./dashboard-format";
import { RangeFilter, useDateRange } from "./dashboard-range";
import { DashboardReports } from "./dashboard-reports";

/**
 * Where supervisors and admins land in the admin area: the live figures, then trends, the leaderboard and the
 * downloads over a range of days. Team leads may see the live figures only (stats.view without reports.view).
 */
export function DashboardTab() {
  const me = useSignedIn();
  const [range, setRange] = useDateRange();
  const reports = hasPermission(me, "reports.view");
  return (
    <div className="stack dashboard">
      <section aria-labelledby="dashboard-now" className="stack">
        <h2 id="dashboard-now">Right now</h2>
        <StatsCards />
      </section>
      {reports && (
        <section aria-labelledby="dashboard-trends" className="stack">
          <div className="row">
            <h2 id="dashboard-trends">Trends</h2>
            <span className="muted" data-testid="dashboard-period">
              {bucketLabel(range.from, range.to)}, by {range.interval}
            </span>
          </div>
          <RangeFilter value={range} onChange={setRange} />
          <DashboardReports range={range} />
        </section>
      )}
    </div>
  );
}
