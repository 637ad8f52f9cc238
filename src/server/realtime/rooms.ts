/** Room names: who hears what. A customer is never in a staff room, so internal notes cannot reach them. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  tenantStaff: (tenantId: string) => `tenant:${tenantId}:staff`,
  /** Staff who see every call of the tenant (`chats.all`): every call's changes, for their live board. */
  tenantCallWatch: (tenantId: string) => `tenant:${tenantId}:calls`,
  /** Everyone who may read the conversation's public messages. */
  conversation: (id: string) => `conversation:${id}`,
  /** Staff watching the conversation: internal notes go here only. */
  conversationStaff: (id: string) => `conversation:${id}:staff`,
};
