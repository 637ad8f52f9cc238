export * from "./activity";
export * from "./idempotency";
export * from "./sessions";
export * from "./teams";
export * from "./tenants";
export * from "./users";
