import { z } from "zod";

/**
 * What a clinic's Twilio connection stores encrypted in org_credentials (provider 'twilio'): the
 * account SID with either its auth token, or an API key SID and secret. The account SID
 * is not secret and may also be kept in the row's metadata for display.
 */
const accountSid = z.string().regex(/^AC[0-9a-fA-F]{32}$/, "A Twilio account SID starts with AC followed by 32 hex characters.");

export const TwilioCredentials = z.union([
  z.object({ accountSid, authToken: z.string().min(1, "The Twilio auth token is required.") }).strict(),
  z
    .object({
      accountSid,
      apiKeySid: z.string().regex(/^SK[0-9a-fA-F]{32}$/, "A Twilio API key SID starts with SK followed by 32 hex characters."),
      apiKeySecret: z.string().min(1, "The Twilio API key secret is required."),
    })
    .strict(),
]);
export type TwilioCredentials = z.infer<typeof TwilioCredentials>;
