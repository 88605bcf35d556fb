import { z } from "zod";
import { E164PhoneNumber } from "./contact";
import { defineRoute, IsoDateTime, Uuid } from "./route";

/**
 * Hybrid telephony: a clinic keeps its own number, proves it owns it through Twilio's
 * caller-ID verification (Twilio makes the code and calls the phone; the owner types the code on
 * the keypad), then forwards it to the receptionist with the dial codes from one tested table
 * (apps/api/src/modules/telephony/forwarding-codes.ts).
 */

export const CARRIERS = [
  { id: "att", label: "AT&T", gsm: true },
  { id: "tmobile", label: "T-Mobile", gsm: true },
  { id: "verizon", label: "Verizon", gsm: false },
  { id: "other_gsm", label: "Another GSM network (most networks outside the US)", gsm: true },
] as const;
export const Carrier = z.enum(["att", "tmobile", "verizon", "other_gsm"], { message: "Choose AT&T, T-Mobile, Verizon or another GSM network" });
export type Carrier = z.infer<typeof Carrier>;

/** total_ai: every call goes to the receptionist; safety_net: only calls you miss (busy, no answer, unreachable). */
export const ForwardingType = z.enum(["total_ai", "safety_net"], { message: "Choose all calls (total_ai) or missed calls only (safety_net)" });
export type ForwardingType = z.infer<typeof ForwardingType>;

/** The only ring times GSM networks apply (3GPP no-reply timer: 5–30 s in 5 s steps). */
export const RING_TIME_CHOICES = [5, 10, 15, 20, 25, 30] as const;
export const DEFAULT_RING_TIME_SECONDS = 20;

export const VerificationStatus = z.enum(["pending", "verified", "failed", "expired"]);
export type VerificationStatus = z.infer<typeof VerificationStatus>;

export const VerifiedNumber = z.object({
  id: Uuid,
  phoneNumber: z.string(),
  friendlyName: z.string().nullable(),
  status: VerificationStatus,
  verifiedAt: IsoDateTime.nullable(),
  /** While pending: when Twilio's code stops being worth waiting for (10 minutes after the call was requested). */
  pendingExpiresAt: IsoDateTime.nullable(),
  confirmAttempts: z.number().int(),
  /** After 5 confirm attempts: no confirm or new call for this number until then. */
  lockedUntil: IsoDateTime.nullable(),
  hasForwardingConfig: z.boolean(),
  createdAt: IsoDateTime,
});
export type VerifiedNumber = z.infer<typeof VerifiedNumber>;

export const TelephonyAvailability = z.object({
  /** Whether the clinic has connected Twilio (verification calls are placed from its account). */
  twilioConnected: z.boolean(),
  reason: z.string().nullable().describe("What to do when verification cannot start"),
  /** The receptionist's number calls are forwarded to (the clinic's first Twilio number), if any. */
  receptionistNumber: z.string().nullable(),
});
export type TelephonyAvailability = z.infer<typeof TelephonyAvailability>;

export const VerifiedNumbersResponse = z.object({ numbers: z.array(VerifiedNumber), availability: TelephonyAvailability });
export type VerifiedNumbersResponse = z.infer<typeof VerifiedNumbersResponse>;

export const InitiateVerificationBody = z.object({
  phoneNumber: E164PhoneNumber,
  friendlyName: z.string().trim().min(1).max(64, "At most 64 characters").optional(),
});
export const InitiateVerificationResponse = z.object({
  verification: VerifiedNumber,
  /** Twilio's 6-digit code: shown on screen, typed on the phone's keypad during Twilio's call. Never stored. Null when no call was needed. */
  validationCode: z.string().nullable(),
  message: z.string(),
});
export type InitiateVerificationResponse = z.infer<typeof InitiateVerificationResponse>;

export const ConfirmVerificationBody = z.object({ verificationId: Uuid });
export const ConfirmVerificationResponse = z.object({
  verification: VerifiedNumber,
  verified: z.boolean(),
  attemptsRemaining: z.number().int(),
  message: z.string(),
});
export type ConfirmVerificationResponse = z.infer<typeof ConfirmVerificationResponse>;

export const ForwardingCodes = z.object({
  /** What the owner dials on the phone to turn forwarding on. */
  activationCode: z.string(),
  /** What turns it off again (GSM: erase; Verizon: *73). */
  deactivationCode: z.string(),
  /** What shows the current setting (GSM only). */
  statusCode: z.string().nullable(),
  ringTimeSeconds: z.number().int().nullable(),
  /** GSM conditional forwarding only: erasing it also erases the carrier's voicemail forwarding. */
  voicemailWarning: z
    .object({
      message: z.string(),
      checkCode: z.string(),
      restoreCode: z.string().nullable().describe("Exact restore code when the voicemail number was given"),
      restoreCodePattern: z.string(),
    })
    .nullable(),
});
export type ForwardingCodes = z.infer<typeof ForwardingCodes>;

export const ForwardingStatus = z.enum(["pending_setup", "active", "test_failed", "disabled"]);
export type ForwardingStatus = z.infer<typeof ForwardingStatus>;

export const ForwardingConfig = z.object({
  id: Uuid,
  verifiedCallerId: Uuid,
  simPhoneNumber: z.string(),
  destinationNumber: z.string(),
  carrier: Carrier,
  forwardingType: ForwardingType,
  ringTimeSeconds: z.number().int().nullable(),
  voicemailNumber: z.string().nullable(),
  codes: ForwardingCodes,
  status: ForwardingStatus,
  lastTestOutcome: z.enum(["forwarded", "not_forwarded"]).nullable(),
  confirmedAt: IsoDateTime.nullable(),
  updatedAt: IsoDateTime,
});
export type ForwardingConfig = z.infer<typeof ForwardingConfig>;

export const ForwardingConfigQuery = z.object({ verifiedCallerId: Uuid });
export const ForwardingConfigResponse = z.object({ config: ForwardingConfig.nullable() });

const gsmRingTimeMessage = "Ring time must be one of 5, 10, 15, 20, 25 or 30 seconds on GSM networks (3GPP no-reply timer).";

/**
 * Ring time rules, here so every client gets the same 400: GSM safety net needs one of
 * {5,10,15,20,25,30}; Verizon has no ring-time code at all; forwarding all calls rings nothing first.
 */
export const SaveForwardingConfigBody = z
  .object({
    verifiedCallerId: Uuid,
    carrier: Carrier,
    forwardingType: ForwardingType,
    ringTimeSeconds: z.number({ message: gsmRingTimeMessage }).int(gsmRingTimeMessage).nullable().optional(),
    voicemailNumber: E164PhoneNumber.nullable().optional().describe("Your carrier voicemail number (from *#61#), for an exact restore code"),
  })
  .superRefine((b, ctx) => {
    const ring = b.ringTimeSeconds ?? null;
    if (b.carrier === "verizon") {
      if (ring !== null)
        ctx.addIssue({
          code: "custom",
          path: ["ringTimeSeconds"],
          message: "Verizon has no dial code for a ring time: leave the ring time out (Verizon forwards after its own fixed delay).",
        });
      return;
    }
    if (b.forwardingType === "total_ai") {
      if (ring !== null)
        ctx.addIssue({ code: "custom", path: ["ringTimeSeconds"], message: "Forwarding all calls does not ring your phone first: leave the ring time out." });
      return;
    }
    if (ring === null) ctx.addIssue({ code: "custom", path: ["ringTimeSeconds"], message: `Choose a ring time. ${gsmRingTimeMessage}` });
    else if (!(RING_TIME_CHOICES as readonly number[]).includes(ring))
      ctx.addIssue({ code: "custom", path: ["ringTimeSeconds"], message: `${gsmRingTimeMessage} ${ring} is not one of them.` });
  });
export type SaveForwardingConfigBody = z.infer<typeof SaveForwardingConfigBody>;

export const ConfirmForwardingBody = z.object({
  forwardingConfigId: Uuid,
  /** What the test call showed: the receptionist answered (forwarded) or your phone kept ringing / went to voicemail. */
  outcome: z.enum(["forwarded", "not_forwarded"], { message: "Say whether the test call reached the receptionist: forwarded or not_forwarded" }),
});
export const ConfirmForwardingResponse = z.object({ config: ForwardingConfig, message: z.string() });

export const DisableForwardingResponse = z.object({ config: ForwardingConfig, deactivationCode: z.string(), message: z.string() });
export const RemoveVerifiedNumberResponse = z.object({
  ok: z.literal(true),
  message: z.string(),
  /** Dial this if forwarding from the number was set up. */
  deactivationCode: z.string().nullable(),
});

/** Twilio's signed StatusCallback for a caller-ID verification call (form-encoded; Twilio adds fields at will). */
export const CallerIdStatusCallback = z.looseObject({
  VerificationStatus: z.string().optional(),
  OutgoingCallerIdSid: z.string().optional(),
  To: z.string().optional(),
  CallSid: z.string().optional(),
  AccountSid: z.string().optional(),
});

const MANAGE = ["owner", "admin"] as const;
const MEMBERS = ["owner", "admin", "staff"] as const;

export const telephonyRoutes = {
  initiateVerification: defineRoute({
    method: "post",
    path: "/api/telephony/verify-caller-id/initiate",
    tag: "telephony",
    summary: "Start Twilio's caller-ID verification: Twilio calls the number; the answer holds the code to type on its keypad",
    body: InitiateVerificationBody,
    response: InitiateVerificationResponse,
    status: 201,
    access: MANAGE,
    action: "verify a phone number",
  }),
  confirmVerification: defineRoute({
    method: "post",
    path: "/api/telephony/verify-caller-id/confirm",
    tag: "telephony",
    summary: "Ask Twilio whether the number is verified now (at most 5 times, then locked for an hour)",
    body: ConfirmVerificationBody,
    response: ConfirmVerificationResponse,
    access: MANAGE,
    action: "verify a phone number",
  }),
  verifiedNumbers: defineRoute({
    method: "get",
    path: "/api/telephony/verified-numbers",
    tag: "telephony",
    summary: "The clinic's own numbers, verified or being verified, and whether verification can start",
    response: VerifiedNumbersResponse,
    access: MEMBERS,
  }),
  removeVerifiedNumber: defineRoute({
    method: "delete",
    path: "/api/telephony/verified-numbers/:verifiedId",
    tag: "telephony",
    summary: "Remove a verified number (and its forwarding configuration)",
    response: RemoveVerifiedNumberResponse,
    access: MANAGE,
    action: "remove a verified number",
  }),
  forwardingConfig: defineRoute({
    method: "get",
    path: "/api/telephony/forwarding-config",
    tag: "telephony",
    summary: "The forwarding configuration of a verified number, with its dial codes",
    query: ForwardingConfigQuery,
    response: ForwardingConfigResponse,
    access: MEMBERS,
  }),
  saveForwardingConfig: defineRoute({
    method: "post",
    path: "/api/telephony/forwarding-config",
    tag: "telephony",
    summary: "Choose carrier, forwarding type and ring time; answers with the exact dial codes",
    body: SaveForwardingConfigBody,
    response: ForwardingConfig,
    access: MANAGE,
    action: "set up call forwarding",
  }),
  confirmForwarding: defineRoute({
    method: "post",
    path: "/api/telephony/forwarding-config/confirm",
    tag: "telephony",
    summary: "Record the outcome of the test call after dialling the code",
    body: ConfirmForwardingBody,
    response: ConfirmForwardingResponse,
    access: MANAGE,
    action: "set up call forwarding",
  }),
  disableForwarding: defineRoute({
    method: "delete",
    path: "/api/telephony/forwarding-config/:configId",
    tag: "telephony",
    summary: "Turn forwarding off: answers with the code to dial on the phone",
    response: DisableForwardingResponse,
    access: MANAGE,
    action: "turn off call forwarding",
  }),
  callerIdStatusCallback: defineRoute({
    method: "post",
    path: "/api/webhooks/twilio/:orgId/caller-id",
    tag: "telephony",
    summary: "Twilio's StatusCallback for a caller-ID verification call (X-Twilio-Signature checked with the clinic's auth token)",
    body: CallerIdStatusCallback,
    response: z.object({}),
    access: "webhook",
  }),
} as const;
