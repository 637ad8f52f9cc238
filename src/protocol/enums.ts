export const availabilities = ["online", "away", "on_break", "offline"] as const;
export type Availability = (typeof availabilities)[number];
export const userStatuses = ["active", "deactivated"] as const;
export type UserStatus = (typeof userStatuses)[number];
export const actorTypes = ["user", "system", "api_token"] as const;
export type ActorType = (typeof actorTypes)[number];
/** `ticket`: a ticket's own thread (tickets opened from a form); never routed like a chat. */
export const conversationKinds = ["support", "team", "group", "platform_support", "ticket"] as const;
export type ConversationKind = (typeof conversationKinds)[number];
export const conversationStatuses = [
  "queued",
  "open",
  "pending",
  "resolved",
  "closed",
  "escalated",
  "archived",
] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof priorities)[number];
export const participantRoles = ["customer", "agent", "admin", "member", "observer"] as const;
export type ParticipantRole = (typeof participantRoles)[number];
export const senderTypes = ["customer", "staff", "system", "bot"] as const;
export type SenderType = (typeof senderTypes)[number];
export const maskKinds = ["card", "cvv", "pin", "account", "iban"] as const;
export type MaskKind = (typeof maskKinds)[number];
export const ticketCategories = [
  "technical",
  "billing",
  "account",
  "feature_request",
  "bug_report",
  "general",
  "security",
  "compliance",
] as const;
export type TicketCategory = (typeof ticketCategories)[number];
export const ticketPriorities = ["low", "medium", "high", "urgent"] as const;
export type TicketPriority = (typeof ticketPriorities)[number];
export const ticketStatuses = [
  "open",
  "in_progress",
  "waiting_on_customer",
  "waiting_on_admin",
  "resolved",
  "closed",
  "escalated",
] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const callStatuses = [
  "queued",
  "ringing",
  "active",
  "completed",
  "missed",
  "abandoned",
  "failed",
] as const;
export type CallStatus = (typeof callStatuses)[number];
