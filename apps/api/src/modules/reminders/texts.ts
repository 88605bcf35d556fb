import { DateTime } from "luxon";

/** When, as the patient reads it: "Tue, Mar 10 at 2:00 PM" in the clinic's time zone. */
export const whenText = (startsAt: Date, zone: string) => DateTime.fromJSDate(startsAt).setZone(zone).toFormat("ccc, LLL d 'at' h:mm a");

const oneSegment = (text: string) => (text.length <= 160 ? text : `${text.slice(0, 157)}...`);
const what = (service: string | null) => (service ? `${service} appointment` : "appointment");

/** The patient texts about an appointment; each ≤ 160 characters (one SMS segment). */
export const appointmentTexts = {
  booked: (a: { clinic: string; service: string | null; when: string }) =>
    oneSegment(`${a.clinic}: your ${what(a.service)} is booked for ${a.when}. Reply STOP to opt out.`),
  rescheduled: (a: { clinic: string; service: string | null; when: string }) =>
    oneSegment(`${a.clinic}: your ${what(a.service)} has moved to ${a.when}. Reply STOP to opt out.`),
  cancelled: (a: { clinic: string; service: string | null; when: string }) =>
    oneSegment(`${a.clinic}: your ${what(a.service)} on ${a.when} is cancelled. Call us to rebook.`),
  reminder: (a: { clinic: string; service: string | null; when: string }) =>
    oneSegment(`${a.clinic}: reminder of your ${what(a.service)} on ${a.when}. Reply STOP to opt out.`),
};
