import type { SimCaller, SimIdentity } from "./engine";

/** The demo clinic's Vapi identity (created by the demo seed), so simulated calls resolve to it. */
export const DEMO_IDENTITY: SimIdentity = {
  assistantId: "demo-assistant",
  phoneNumberId: "demo-phone-number",
  // Callers' 212 numbers end in multiples of 5 (see simCaller), so the clinic line never equals a caller's.
  clinicNumber: "+12125550101",
};

const FIRST = [
  "Maria",
  "James",
  "Aisha",
  "Chen",
  "Olivia",
  "Daniel",
  "Priya",
  "Lucas",
  "Sofia",
  "Noah",
  "Emma",
  "Mateo",
  "Grace",
  "Omar",
  "Hannah",
  "Leo",
  "Isabella",
  "Ethan",
  "Zara",
  "Ryan",
];
const LAST = [
  "Lopez",
  "Carter",
  "Khan",
  "Wei",
  "Bennett",
  "Okafor",
  "Sharma",
  "Silva",
  "Rossi",
  "Kim",
  "Walsh",
  "Garcia",
  "Nguyen",
  "Haddad",
  "Fischer",
  "Moreau",
  "Russo",
  "Brooks",
  "Ali",
  "Murphy",
];

/** Fictional callers: 555-01xx numbers are reserved for fiction in North America. */
export function simCaller(index: number): SimCaller {
  const name = `${FIRST[index % FIRST.length]} ${LAST[(index * 7 + 3) % LAST.length]}`;
  const phone = `+1${["212", "646", "917", "718", "347"][index % 5]}55501${String(100 + (index % 100)).slice(1)}`;
  return { name, phone };
}

/** A small deterministic PRNG (mulberry32) so the demo history is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
