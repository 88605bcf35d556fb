import { z } from "zod";
import { Role } from "./roles";
import { defineRoute, IsoDateTime, Ok } from "./route";

/** Invite links stay valid this long (and work once). */
export const INVITE_TTL_HOURS = 72;

const Email = z
  .string({ message: "Email is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address, like name@clinic.com" }).max(254, { message: "Email must be at most 254 characters" }));

/** Invites make admins or staff; an owner is made by promoting a member. */
export const InviteRole = z.enum(["admin", "staff"], { message: "Choose admin or staff" });

export const TeamMember = z.object({
  userId: z.uuid(),
  email: z.string(),
  fullName: z.string().nullable(),
  role: Role,
  joinedAt: IsoDateTime,
});
export type TeamMember = z.infer<typeof TeamMember>;

export const TeamInvite = z.object({
  id: z.uuid(),
  email: z.string(),
  role: InviteRole,
  invitedBy: z.string().nullable().describe("name or email of who sent it"),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  expired: z.boolean(),
});
export type TeamInvite = z.infer<typeof TeamInvite>;

/** What happened to the invite email: sent (SMTP), outbox (development), not_sent (no SMTP_URL in production), failed. */
export const InviteSent = TeamInvite.extend({ delivery: z.enum(["sent", "outbox", "not_sent", "failed", "duplicate"]) });
export type InviteSent = z.infer<typeof InviteSent>;

export const Team = z.object({
  members: z.array(TeamMember),
  invites: z.array(TeamInvite).describe("invites not yet accepted or revoked (expired ones included, marked)"),
});
export type Team = z.infer<typeof Team>;

export const InviteBody = z.object({ email: Email, role: InviteRole });
export type InviteBody = z.infer<typeof InviteBody>;

export const ChangeRoleBody = z.object({ role: Role });
export type ChangeRoleBody = z.infer<typeof ChangeRoleBody>;

const InviteToken = z.string({ message: "The invite link is incomplete" }).min(20, { message: "The invite link is incomplete" }).max(200);

export const InvitePreviewBody = z.object({ token: InviteToken });
export const InvitePreview = z.object({ email: z.string(), role: InviteRole, clinicName: z.string() });
export type InvitePreview = z.infer<typeof InvitePreview>;

export const AcceptInviteBody = z.object({
  token: InviteToken,
  fullName: z
    .string({ message: "Your name is required" })
    .trim()
    .min(1, { message: "Your name is required" })
    .max(120, { message: "Name must be at most 120 characters" }),
  // Same rule as sign-up (bcrypt and Supabase Auth stop at 72 bytes).
  password: z
    .string({ message: "Password is required" })
    .min(8, { message: "Password must be at least 8 characters" })
    .max(72, { message: "Password must be at most 72 characters" })
    .refine((p) => new TextEncoder().encode(p).length <= 72, { message: "Password must be at most 72 bytes (about 72 letters)" }),
});
export type AcceptInviteBody = z.infer<typeof AcceptInviteBody>;

const MANAGERS = ["owner", "admin"] as const;

export const teamRoutes = {
  get: defineRoute({
    method: "get",
    path: "/api/team",
    tag: "team",
    summary: "The clinic's members and open invites",
    response: Team,
    access: MANAGERS,
    action: "see and manage the team",
  }),
  invite: defineRoute({
    method: "post",
    path: "/api/team/invites",
    tag: "team",
    summary: "Invite someone by email with a role (a single-use link, valid for 72 hours; inviting again replaces the open invite)",
    body: InviteBody,
    response: InviteSent,
    status: 201,
    access: MANAGERS,
    action: "invite people to the clinic",
  }),
  revokeInvite: defineRoute({
    method: "delete",
    path: "/api/team/invites/:inviteId",
    tag: "team",
    summary: "Revoke an open invite: its link stops working",
    response: Ok,
    access: MANAGERS,
    action: "revoke invites",
  }),
  changeRole: defineRoute({
    method: "patch",
    path: "/api/team/members/:userId",
    tag: "team",
    summary: "Change a member's role (owners only make or unmake owners; the last owner stays an owner)",
    body: ChangeRoleBody,
    response: TeamMember,
    access: MANAGERS,
    action: "change members' roles",
  }),
  removeMember: defineRoute({
    method: "delete",
    path: "/api/team/members/:userId",
    tag: "team",
    summary: "Remove a member from the clinic: their sessions end at once",
    response: Ok,
    access: MANAGERS,
    action: "remove members",
  }),
  previewInvite: defineRoute({
    method: "post",
    path: "/api/auth/invite/preview",
    tag: "auth",
    summary: "What an invite link is for (clinic, email, role), if it is still valid",
    body: InvitePreviewBody,
    response: InvitePreview,
    access: "public",
  }),
  acceptInvite: defineRoute({
    method: "post",
    path: "/api/auth/invite/accept",
    tag: "auth",
    summary: "Accept an invite: create the account with a name and password and sign in (the link then stops working)",
    body: AcceptInviteBody,
    response: z.object({ email: z.string(), role: Role, clinicName: z.string() }),
    status: 201,
    access: "public",
  }),
} as const;
