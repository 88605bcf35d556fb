import { z } from "zod";

/**
 * What a clinic's Google Calendar connection stores encrypted in org_credentials (provider
 * 'google'): the offline refresh token, and the scopes it was granted. The connected account's
 * email is not secret: it goes in the row's metadata (`connected_email`).
 */
export const GoogleCredentials = z
  .object({
    refreshToken: z.string().min(1, "The Google refresh token is required."),
    scope: z.string().optional(),
  })
  .strict();
export type GoogleCredentials = z.infer<typeof GoogleCredentials>;
