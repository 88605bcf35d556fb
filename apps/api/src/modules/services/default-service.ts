/**
 * The service a booking gets when the caller names none, and the price a booked call is worth when
 * nothing more specific is known: the clinic's consultation (matched by keyword, so a renamed
 * "Initial Consultation" still counts).
 */
export const DEFAULT_SERVICE_KEYWORD = "consultation";
