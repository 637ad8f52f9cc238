import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";

describe("health, metrics and API documentation", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("/healthz answers 200 without signing in", async () => {
    const res = await t.app.inject({ url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("/readyz answers 200 once the database answers, and says which database", async () => {
    const res = await t.app.inject({ url: "/readyz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready", database: t.database.kind });
    expect(t.database.kind).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
  });

  it("/metrics counts requests by method, route template and status in Prometheus text", async () => {
    const token = await t.login("admin@acme.test");
    for (let i = 0; i < 3; i++) expect((await t.api("GET", "/staff", { token })).status).toBe(200);
    expect((await t.api("GET", "/staff")).status).toBe(401);
    const staff = (await t.api("GET", "/staff", { token })).body.items[0].id;
    expect((await t.api("PATCH", `/staff/${staff}`, { token, body: { maxChats: 6 } })).status).toBe(200);

    const res = await t.app.inject({ url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    const lines = res.body.split("\n");
    expect(lines).toContain("# TYPE switchboard_http_requests_total counter");
    const count = (labels: string) => {
      const line = lines.find((l) => l.startsWith(`switchboard_http_requests_total{${labels}}`));
      return line ? Number(line.split(" ").at(-1)) : 0;
    };
    expect(count('method="GET",route="/api/v1/staff",status="200"')).toBeGreaterThanOrEqual(4);
    expect(count('method="GET",route="/api/v1/staff",status="401"')).toBeGreaterThanOrEqual(1);
    // Ids are not labels: the route template is, so the number of series stays bounded.
    expect(count('method="PATCH",route="/api/v1/staff/:id",status="200"')).toBeGreaterThanOrEqual(1);
    expect(res.body).not.toContain(staff);
    expect(res.body).toContain("switchboard_http_request_seconds_bucket");
  });

  it("/api/v1/openapi.json is an OpenAPI 3 document of the API, generated from the schemas", async () => {
    const res = await t.api("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe("Switchboard API");
    for (const path of [
      "/api/v1/auth/login",
      "/api/v1/auth/signup",
      "/api/v1/me",
      "/api/v1/staff",
      "/api/v1/staff/{id}",
      "/api/v1/teams",
      "/api/v1/teams/{id}",
      "/api/v1/tenants",
      "/api/v1/settings",
      "/api/v1/audit-log",
      "/api/v1/audit-log/verify",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths["/api/v1/staff"]).sort()).toEqual(["get", "post"]);
    const create = doc.paths["/api/v1/staff"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["email", "name", "role"]));
    expect(create.properties.role.enum).toEqual(["agent", "team_lead", "supervisor", "admin"]);
    expect(create.additionalProperties).toBe(false);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    // Internal routes are not documented.
    expect(Object.keys(doc.paths).filter((p) => /healthz|readyz|metrics|openapi/.test(p))).toEqual([]);
  });

  it("/api/docs serves the browsable reference as HTML, pointing at the document", async () => {
    const res = await t.app.inject({ url: "/api/docs" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
    expect(res.body.toLowerCase()).toContain("swagger");
    const init = await t.app.inject({ url: "/api/docs/static/swagger-initializer.js" });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain("/api/v1/openapi.json");
  });
});
