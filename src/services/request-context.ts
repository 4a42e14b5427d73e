/** Who is asking and from where: stamped on audit records. */
export interface RequestContext {
  actorId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
}
