/**
 * Who may change an appointment over the phone. Only the number the call comes from is trusted;
 * a different number (someone calling for a relative) also needs the patient's name as it was
 * booked, so a caller cannot change strangers' appointments by guessing numbers.
 */

const nameTokens = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z\s'-]/g, " ")
    .split(/\s+/)
    .filter((t) => t.length >= 2);

/** Whether the name the caller gave shares a word (first or last name) with the name on the booking. */
export function namesMatch(given: string, stored: string | null): boolean {
  if (!stored) return false;
  const storedTokens = new Set(nameTokens(stored));
  return nameTokens(given).some((t) => storedTokens.has(t));
}

/**
 * Whether the caller may act on the appointments booked under `requestedNumber`: yes when it is
 * the number they are calling from (or the call has no caller ID to compare with); otherwise only
 * when the name they gave matches one of those appointments.
 */
export function callerMayChange(input: {
  callerNumber: string | null;
  requestedNumber: string | null;
  givenName: string | undefined;
  bookedNames: (string | null)[];
}): boolean {
  const { callerNumber, requestedNumber, givenName } = input;
  if (!requestedNumber || !callerNumber || requestedNumber === callerNumber) return true;
  return Boolean(givenName && input.bookedNames.some((stored) => namesMatch(givenName, stored)));
}
