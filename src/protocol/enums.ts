export const availabilities = ["online", "away", "on_break", "offline"] as const;
export type Availability = (typeof availabilities)[number];
export const userStatuses = ["active", "deactivated"] as const;
export type UserStatus = (typeof userStatuses)[number];
export const actorTypes = ["user", "system", "api_token"] as const;
export type ActorType = (typeof actorTypes)[number];
