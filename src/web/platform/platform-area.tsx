import { useState } from "react";
import { Route, Routes } from "react-router-dom";
import { errorMessage } from "../lib/api";
import { formatDate } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import type { Tenant } from "../lib/types";
import { AppShell } from "../shell/app-shell";
import { NotFoundPage } from "../shell/status-pages";
import { Alert, Button, type Column, Table } from "../ui";
import { TenantDialog } from "./tenant-dialog";

function TenantsPage() {
  const tenants = usePagedList<Tenant>("/tenants");
  const [editing, setEditing] = useState<{ tenant: Tenant | null } | null>(null);
  const columns: Column<Tenant>[] = [
    { header: "Name", cell: (t) => t.name },
    { header: "Short name", cell: (t) => <code>{t.slug}</code>, nowrap: true },
    { header: "Created", cell: (t) => formatDate(t.createdAt), nowrap: true },
    {
      header: <span className="visually-hidden">Actions</span>,
      nowrap: true,
      cell: (t) => (
        <Button size="sm" onClick={() => setEditing({ tenant: t })} data-testid={`tenant-rename-${t.slug}`}>
          Rename
        </Button>
      ),
    },
  ];
  return (
    <AppShell nav={[{ to: "/platform", label: "Tenants", testId: "nav-tenants", end: true }]}>
      <div className="page-title">
        <h1 className="spacer">Tenants</h1>
        <Button variant="primary" onClick={() => setEditing({ tenant: null })} data-testid="tenant-add">
          New tenant
        </Button>
      </div>
      {tenants.isError && <Alert tone="danger">{errorMessage(tenants.error)}</Alert>}
      <Table
        columns={columns}
        rows={tenants.items}
        rowKey={(t) => t.id}
        rowTestId={(t) => `tenant-row-${t.slug}`}
        loading={tenants.isPending}
        empty="No tenants yet."
        testId="tenants-table"
        caption="Tenants"
      />
      {tenants.hasNextPage && (
        <Button
          onClick={() => tenants.fetchNextPage()}
          busy={tenants.isFetchingNextPage}
          data-testid="tenants-more"
        >
          Load more
        </Button>
      )}
      <TenantDialog
        open={editing !== null}
        tenant={editing?.tenant ?? null}
        onClose={() => setEditing(null)}
      />
    </AppShell>
  );
}

export function PlatformArea() {
  return (
    <Routes>
      <Route index element={<TenantsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
