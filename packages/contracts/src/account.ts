import { z } from "zod";
import { defineRoute, IsoDateTime, Ok } from "./route";

/** Password reset links stay valid this long (and work once). */
export const PASSWORD_RESET_TTL_MINUTES = 60;

const Email = z
  .string({ message: "Email is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address, like name@clinic.com" }));

const NewPassword = z
  .string({ message: "Password is required" })
  .min(8, { message: "Password must be at least 8 characters" })
  .max(72, { message: "Password must be at most 72 characters" })
  .refine((p) => new TextEncoder().encode(p).length <= 72, { message: "Password must be at most 72 bytes (about 72 letters)" });

export const Account = z.object({
  email: z.string(),
  fullName: z.string().nullable(),
  /** Owners only: an email each morning with yesterday's calls, bookings, hot leads and emergencies. */
  dailySummary: z.boolean(),
  canReceiveDailySummary: z.boolean(),
});
export type Account = z.infer<typeof Account>;

export const UpdateAccountBody = z
  .object({
    fullName: z
      .string({ message: "Your name is required" })
      .trim()
      .min(1, { message: "Your name is required" })
      .max(120, { message: "Name must be at most 120 characters" })
      .optional(),
    dailySummary: z.boolean().optional(),
  })
  .refine((b) => b.fullName !== undefined || b.dailySummary !== undefined, { message: "Nothing to change: send fullName or dailySummary" });
export type UpdateAccountBody = z.infer<typeof UpdateAccountBody>;

export const ForgotPasswordBody = z.object({ email: Email });
export type ForgotPasswordBody = z.infer<typeof ForgotPasswordBody>;

export const ResetPasswordBody = z.object({
  token: z.string({ message: "The reset link is incomplete" }).min(20, { message: "The reset link is incomplete" }).max(2000),
  newPassword: NewPassword,
});
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;

/** One email as the development outbox shows it (only when SMTP_URL is not set, outside production). */
export const OutboxEmail = z.object({
  id: z.uuid(),
  to: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string(),
  kind: z.string(),
  createdAt: IsoDateTime,
  links: z.array(z.string()).describe("the links in the email, in order"),
});
export type OutboxEmail = z.infer<typeof OutboxEmail>;

export const Outbox = z.object({
  /** smtp: mail goes out through SMTP_URL; outbox: kept here (development); off: not sent (production without SMTP_URL). */
  mode: z.enum(["smtp", "outbox", "off"]),
  reason: z.string().nullable(),
  emails: z.array(OutboxEmail),
});
export type Outbox = z.infer<typeof Outbox>;

export const accountRoutes = {
  get: defineRoute({
    method: "get",
    path: "/api/account",
    tag: "account",
    summary: "Your own account: name, email and email preferences",
    response: Account,
    access: ["owner", "admin", "staff"],
  }),
  update: defineRoute({
    method: "patch",
    path: "/api/account",
    tag: "account",
    summary: "Change your name or your daily-summary email",
    body: UpdateAccountBody,
    response: Account,
    access: ["owner", "admin", "staff"],
    action: "change your account",
  }),
  forgotPassword: defineRoute({
    method: "post",
    path: "/api/auth/password/forgot",
    tag: "auth",
    summary: "Email a single-use password reset link (the answer is the same whether or not the email has an account)",
    body: ForgotPasswordBody,
    response: Ok,
    status: 202,
    access: "public",
  }),
  resetPassword: defineRoute({
    method: "post",
    path: "/api/auth/password/reset",
    tag: "auth",
    summary: "Set a new password with a reset link's token (once); every session of the account is signed out",
    body: ResetPasswordBody,
    response: z.object({ email: z.string() }),
    access: "public",
  }),
  outbox: defineRoute({
    method: "get",
    path: "/api/outbox",
    tag: "email",
    summary: "Development outbox: the emails that would have been sent (SMTP_URL not set)",
    response: Outbox,
    access: ["owner", "admin"],
    action: "read the development outbox",
  }),
} as const;
