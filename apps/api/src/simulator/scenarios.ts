import type { ToolReply } from "@voxanne/contracts";
import type { SimControl } from "./control";
import { offeredStarts, phoneIn, SimCall, type SimCaller, type SimClock, type SimIdentity } from "./engine";
import type { VapiTransport } from "./transport";

export type ScenarioEnv = {
  transport: VapiTransport;
  clock: SimClock;
  identity: SimIdentity;
  /** A caller for this scenario (the same one is reused for "returning" scenarios). */
  caller: SimCaller;
  /** A second caller, for the race. */
  otherCaller: SimCaller;
  /** 0…1, for variety (deterministic in the demo seed). */
  random: () => number;
  /** Send the live transcript while the call goes on (default true; the history replay turns it off). */
  liveTranscript?: boolean;
  /** Give calls a control URL the dashboard can take them over with (`--control`). */
  control?: SimControl;
};

export type ScenarioResult = { calls: SimCall[] };
export type Scenario = { name: string; description: string; run: (env: ScenarioEnv) => Promise<ScenarioResult> };

const pick = <T>(env: ScenarioEnv, items: readonly T[]): T => items[Math.floor(env.random() * items.length)]!;
const firstName = (c: SimCaller) => c.name.split(" ")[0]!;

const TREATMENTS = [
  { service: "Botox", ask: "I'd like to get Botox for my forehead lines" },
  { service: "Fillers", ask: "I'm interested in lip filler" },
  { service: "Consultation", ask: "I'd like a consultation about my skin" },
  { service: "Botox", ask: "I want to book Botox, my crow's feet are getting worse" },
  { service: "Rhinoplasty", ask: "I'd like a consultation for a nose job" },
] as const;

function newCall(env: ScenarioEnv, caller = env.caller): SimCall {
  return new SimCall(env.transport, env.clock, env.identity, caller, "inbound", env.liveTranscript ?? true, env.control);
}

async function greet(call: SimCall): Promise<void> {
  await call.ring();
  await call.answer();
  await call.say("assistant", "Thank you for calling, this is the virtual receptionist. How can I help you today?");
}

const isBooked = (reply: ToolReply) => reply.say.startsWith("You're booked");

/** A caller who books the first time offered; used on its own and as the first call of others. */
async function bookingCall(
  env: ScenarioEnv,
  caller: SimCaller,
  treatment: (typeof TREATMENTS)[number],
  withDob: boolean,
): Promise<{ call: SimCall; start: string | null }> {
  const call = newCall(env, caller);
  await greet(call);
  await call.say("user", `Hi! ${treatment.ask}. Do you have anything available soon?`);
  const availability = await call.tool("checkAvailability", { service: treatment.service });
  const starts = offeredStarts(availability);
  await call.say("assistant", `Let me check. ${availability.say} The earliest I have is the first one. Does that work?`);
  if (starts.length === 0) {
    await call.say("user", "Hmm, okay. Could you take my number and call me back?");
    await call.say("assistant", "Of course, I'll pass your details to the team and they'll call you back.");
    await call.end({ summary: `${caller.name} wanted ${treatment.service}; no times were free, callback requested.` });
    return { call, start: null };
  }
  await call.say("user", `Yes, that works great. My name is ${caller.name}.`);
  if (withDob) {
    await call.say("assistant", "Thank you. And for our records, what is your date of birth?");
    await call.say("user", "My date of birth is March 14th, 1985.");
  }
  const booked = await call.tool("bookClinicAppointment", { name: caller.name, start: starts[0], service: treatment.service });
  await call.say("assistant", isBooked(booked) ? `${booked.say} We'll see you then!` : `I'm sorry. ${booked.say}`);
  await call.say("user", "Perfect, thank you so much, that's really helpful!");
  await call.say("assistant", `You're welcome, ${firstName(caller)}. Have a lovely day.`);
  await call.end({
    summary: `${caller.name} called about ${treatment.service} and ${isBooked(booked) ? "booked an appointment" : "could not book"}.`,
  });
  return { call, start: isBooked(booked) ? starts[0]! : null };
}

export const scenarios: Record<string, Scenario> = {
  "new-patient-books": {
    name: "new-patient-books",
    description: "A first-time caller asks for Botox, gets the next open times and books one (gives a date of birth, which is redacted).",
    run: async (env) => {
      const { call } = await bookingCall(env, env.caller, TREATMENTS[0], true);
      return { calls: [call] };
    },
  },

  "returning-patient-reschedules": {
    name: "returning-patient-reschedules",
    description: "A patient who booked earlier calls back, is recognised, and moves the appointment to another day.",
    run: async (env) => {
      const first = await bookingCall(env, env.caller, pick(env, TREATMENTS), false);
      await env.clock.sleep(30 * 60_000);
      const call = newCall(env);
      await greet(call);
      const known = await call.tool("lookupCaller", {});
      await call.say("assistant", `Hi ${firstName(env.caller)}, good to hear from you again. ${known.say.slice(0, 80)}`);
      await call.say("user", "Hi, something came up and I need to move my appointment to later next week, if possible.");
      const availability = await call.tool("checkAvailability", { date: "next week" });
      const starts = offeredStarts(availability).filter((s) => s !== first.start);
      const target = starts[Math.min(starts.length - 1, 2)];
      if (!target) {
        await call.say("assistant", "I'm sorry, there are no other openings next week. Shall I keep your current time?");
        await call.say("user", "Yes, please keep it then. Thanks.");
        await call.end({ summary: `${env.caller.name} wanted to reschedule; nothing else was free, kept the original time.` });
        return { calls: [first.call, call] };
      }
      await call.say("assistant", "I have a few openings next week. How about this one?");
      await call.say("user", "That's great, let's do that.");
      const moved = await call.tool("rescheduleAppointment", { newStart: target });
      await call.say("assistant", moved.say);
      await call.say("user", "Wonderful, thanks for your help!");
      await call.end({ summary: `${env.caller.name} rescheduled an existing appointment.` });
      return { calls: [first.call, call] };
    },
  },

  cancellation: {
    name: "cancellation",
    description: "A patient calls to cancel. Inside the clinic's cancellation notice the assistant refuses and takes a message; otherwise it cancels.",
    run: async (env) => {
      const first = await bookingCall(env, env.caller, pick(env, TREATMENTS), false);
      await env.clock.sleep(2 * 60 * 60_000);
      const call = newCall(env);
      await greet(call);
      await call.say("user", "Hi, I need to cancel my appointment, I'm not able to make it anymore.");
      const result = await call.tool("cancelAppointment", { reason: "Can't make it" });
      if (/^I've cancelled/.test(result.say)) {
        await call.say("assistant", `${result.say} Would you like to book another time?`);
        await call.say("user", "No thanks, not right now. I'm not interested in rebooking at the moment.");
        await call.say("assistant", "No problem. Call us anytime if you change your mind.");
        await call.end({ summary: `${env.caller.name} cancelled the appointment and did not rebook.` });
      } else {
        await call.say("assistant", `I'm sorry, I can't cancel this one over the phone: ${result.say.slice(0, 120)} I can take a message for the front desk.`);
        await call.say("user", "Okay, that's frustrating, but please take a message that I can't come.");
        await call.say("assistant", "I've noted that for the team; they'll get back to you today.");
        await call.end({ summary: `${env.caller.name} asked to cancel inside the notice window; a message was taken.` });
      }
      return { calls: [first.call, call] };
    },
  },

  "price-question": {
    name: "price-question",
    description: "A caller asks what a facelift costs and whether there is availability, then wants to think about it — a hot lead that did not book.",
    run: async (env) => {
      const call = newCall(env);
      await greet(call);
      await call.say("user", `Hi there, my name is ${env.caller.name}. I was wondering how much a facelift costs at your clinic?`);
      const price = await call.tool("getServicePrice", { service: "facelift" });
      await call.say("assistant", price.say);
      await call.say("user", "Okay, great, and do you have availability for a consultation in the next few weeks? I'm really excited about it.");
      const availability = await call.tool("checkAvailability", { service: "consultation" });
      await call.say("assistant", `Yes, we do. ${availability.say.slice(0, 160)}`);
      await call.say("user", "Wonderful, that's really helpful. Let me check my calendar and I'll call you back. Thank you so much!");
      await call.say("assistant", "Of course. We look forward to hearing from you.");
      await call.end({ summary: `${env.caller.name} asked about facelift pricing and consultation availability; will call back.` });
      return { calls: [call] };
    },
  },

  "after-hours": {
    name: "after-hours",
    description: "A caller rings outside opening hours; the assistant offers the next open times (per the clinic's after-hours setting).",
    run: async (env) => {
      const call = newCall(env);
      await greet(call);
      await call.say("user", "Hi, I know it's late. I'd like to book a consultation for fillers.");
      const availability = await call.tool("checkAvailability", { service: "Fillers" });
      const starts = offeredStarts(availability);
      await call.say("assistant", `We're closed right now, but I can book you in. ${availability.say.slice(0, 160)}`);
      if (starts[0]) {
        await call.say("user", `The first one is fine. It's ${env.caller.name}.`);
        const booked = await call.tool("bookClinicAppointment", { name: env.caller.name, start: starts[0], service: "Fillers" });
        await call.say("assistant", booked.say);
        await call.say("user", "Thanks, good night.");
      } else {
        await call.say("user", "Never mind, I'll call back tomorrow.");
      }
      await call.end({ summary: `${env.caller.name} called after hours about fillers.` });
      return { calls: [call] };
    },
  },

  emergency: {
    name: "emergency",
    description: "A caller describes a severe allergic reaction after a treatment; the assistant tells them to call emergency services.",
    run: async (env) => {
      const call = newCall(env);
      await greet(call);
      await call.say("user", "I had lip filler yesterday and now my lips are swelling and it feels like my throat is closing. I'm scared.");
      const advice = await call.tool("transferCall", { reason: "Lips swelling and throat closing after lip filler" });
      await call.say("assistant", "This could be a medical emergency. Please hang up now and dial 911 right away.");
      await call.say("user", "Okay, okay, I'm calling now.");
      await call.end({ summary: `Possible anaphylaxis after lip filler; caller told to dial emergency services. ${advice.say.slice(0, 60)}` });
      return { calls: [call] };
    },
  },

  transfer: {
    name: "transfer",
    description: "A caller asks for a person about a billing question; the assistant transfers the call to the front desk.",
    run: async (env) => {
      const call = newCall(env);
      await greet(call);
      await call.say("user", "Hi, I have a question about a charge on my bill. Can I speak to someone at the front desk, please?");
      const decision = await call.tool("transferCall", { reason: "Billing question" });
      const number = phoneIn(decision.instructions ?? "");
      if (number && /^Transfer approved/i.test(decision.instructions ?? "")) {
        await call.say("assistant", "Of course, I'm connecting you to the front desk now.");
        await call.forward(number, "Billing question");
        await call.end({ summary: `${env.caller.name} was transferred to the front desk about a billing question.` });
      } else {
        await call.say("assistant", `I can't transfer you right now. ${decision.say.slice(0, 120)}`);
        await call.say("user", "Okay, please have someone call me back.");
        await call.end({ summary: `${env.caller.name} asked for the front desk about billing; a callback was requested.` });
      }
      return { calls: [call] };
    },
  },

  "returning-patient-asks": {
    name: "returning-patient-asks",
    description: "A patient who booked earlier calls to check when their appointment is; the receptionist looks them up and reads it back.",
    run: async (env) => {
      const call = newCall(env);
      await greet(call);
      await call.say("user", "Hi, I just want to double-check when my appointment is.");
      const known = await call.tool("lookupCaller", {});
      const upcoming = /Upcoming: ([^.]+)\./.exec(known.instructions ?? "")?.[1];
      await call.say("assistant", upcoming ? `Of course. You're booked for ${upcoming}.` : "I can't find an upcoming appointment under this number.");
      await call.say("user", "Perfect, thank you!");
      await call.end({ summary: `${env.caller.name} checked their appointment time.` });
      return { calls: [call] };
    },
  },

  race: {
    name: "race",
    description: "Two callers ask for the same time at the same moment: exactly one gets it, the other is offered the next free time and books that.",
    run: async (env) => {
      const a = newCall(env, env.caller);
      const b = newCall(env, env.otherCaller);
      const play = async (call: SimCall) => {
        await greet(call);
        await call.say("user", "Hi, I'd like the earliest Botox appointment you have.");
        const availability = await call.tool("checkAvailability", { service: "Botox" });
        return offeredStarts(availability)[0] ?? null;
      };
      const [sa, sb] = await Promise.all([play(a), play(b)]);
      const slot = sa ?? sb;
      const book = async (call: SimCall) => {
        if (!slot) {
          await call.say("assistant", "I'm sorry, there's nothing free at the moment.");
          return call.end({ summary: `${call.caller.name} wanted Botox; nothing was free.` });
        }
        await call.say("user", `The first one, please. I'm ${call.caller.name}.`);
        let result = await call.tool("bookClinicAppointment", { name: call.caller.name, start: slot, service: "Botox" });
        if (!isBooked(result)) {
          const next = offeredStarts(result)[0];
          await call.say("assistant", `I'm sorry. ${result.say.slice(0, 120)}`);
          if (next) {
            await call.say("user", "Oh, okay. The next one then, please.");
            result = await call.tool("bookClinicAppointment", { name: call.caller.name, start: next, service: "Botox" });
          }
        }
        await call.say("assistant", result.say);
        await call.say("user", "Great, thanks!");
        await call.end({ summary: `${call.caller.name} asked for the earliest Botox slot: ${result.say.slice(0, 60)}` });
      };
      await Promise.all([book(a), book(b)]);
      return { calls: [a, b] };
    },
  },
};

export const SCENARIO_NAMES = Object.keys(scenarios);
