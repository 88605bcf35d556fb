/**
 * The carrier dial-code table (apps/api/src/modules/telephony/forwarding-codes.ts) against a table
 * written out by hand from the product spec's carrier rules: 3GPP grammar for AT&T,
 * T-Mobile and other GSM networks, *72 / *71 / *73 for Verizon. Every carrier × type × ring time.
 * Nothing here is computed: each expected string is typed out.
 */
import { describe, expect, it } from "vitest";
import { forwardingCodes } from "../src/modules/telephony/forwarding-codes";

const DEST = "+12125550199";

type Row = [carrier: "att" | "tmobile" | "verizon" | "other_gsm", type: "total_ai" | "safety_net", ring: number | null, activation: string, erase: string];

const TABLE: Row[] = [
  // AT&T (3GPP, international format)
  ["att", "total_ai", null, "**21*+12125550199#", "##21#"],
  ["att", "safety_net", 5, "**004*+12125550199*11*5#", "##004#"],
  ["att", "safety_net", 10, "**004*+12125550199*11*10#", "##004#"],
  ["att", "safety_net", 15, "**004*+12125550199*11*15#", "##004#"],
  ["att", "safety_net", 20, "**004*+12125550199*11*20#", "##004#"],
  ["att", "safety_net", 25, "**004*+12125550199*11*25#", "##004#"],
  ["att", "safety_net", 30, "**004*+12125550199*11*30#", "##004#"],
  // T-Mobile (3GPP, 11-digit US number: T-Mobile forwards only to 10/11-digit US numbers)
  ["tmobile", "total_ai", null, "**21*12125550199#", "##21#"],
  ["tmobile", "safety_net", 5, "**004*12125550199*11*5#", "##004#"],
  ["tmobile", "safety_net", 10, "**004*12125550199*11*10#", "##004#"],
  ["tmobile", "safety_net", 15, "**004*12125550199*11*15#", "##004#"],
  ["tmobile", "safety_net", 20, "**004*12125550199*11*20#", "##004#"],
  ["tmobile", "safety_net", 25, "**004*12125550199*11*25#", "##004#"],
  ["tmobile", "safety_net", 30, "**004*12125550199*11*30#", "##004#"],
  // Other GSM networks (3GPP, international format)
  ["other_gsm", "total_ai", null, "**21*+12125550199#", "##21#"],
  ["other_gsm", "safety_net", 5, "**004*+12125550199*11*5#", "##004#"],
  ["other_gsm", "safety_net", 10, "**004*+12125550199*11*10#", "##004#"],
  ["other_gsm", "safety_net", 15, "**004*+12125550199*11*15#", "##004#"],
  ["other_gsm", "safety_net", 20, "**004*+12125550199*11*20#", "##004#"],
  ["other_gsm", "safety_net", 25, "**004*+12125550199*11*25#", "##004#"],
  ["other_gsm", "safety_net", 30, "**004*+12125550199*11*30#", "##004#"],
  // Verizon (CDMA heritage: no ring time, no #, 10-digit number)
  ["verizon", "total_ai", null, "*722125550199", "*73"],
  ["verizon", "safety_net", null, "*712125550199", "*73"],
];

describe("every carrier × forwarding type × ring time", () => {
  it("the table covers 3 GSM carriers × (all calls + 6 ring times) and Verizon's two types", () => {
    expect(TABLE).toHaveLength(3 * 7 + 2);
  });

  for (const [carrier, forwardingType, ring, activation, erase] of TABLE) {
    it(`${carrier} ${forwardingType}${ring === null ? "" : ` ${ring}s`} → ${activation}, off ${erase}`, () => {
      const codes = forwardingCodes({ carrier, forwardingType, destination: DEST, ringTimeSeconds: ring });
      expect(codes.activationCode).toBe(activation);
      expect(codes.deactivationCode).toBe(erase);
      expect(codes.ringTimeSeconds).toBe(ring);
    });
  }
});

describe("status codes and the voicemail warning", () => {
  it("GSM all calls: interrogate with *#21#, no voicemail warning (##21# leaves conditional forwarding alone)", () => {
    for (const carrier of ["att", "tmobile", "other_gsm"] as const) {
      const codes = forwardingCodes({ carrier, forwardingType: "total_ai", destination: DEST });
      expect(codes.statusCode).toBe("*#21#");
      expect(codes.voicemailWarning).toBeNull();
    }
  });

  it("GSM safety net: interrogate with *#61#, warn that ##004# also erases voicemail forwarding, and give the restore code", () => {
    const codes = forwardingCodes({
      carrier: "tmobile",
      forwardingType: "safety_net",
      destination: DEST,
      ringTimeSeconds: 20,
      voicemailNumber: "+12125550123",
    });
    expect(codes.statusCode).toBe("*#61#");
    expect(codes.voicemailWarning?.message).toMatch(/also removes your carrier's voicemail forwarding/);
    expect(codes.voicemailWarning?.checkCode).toBe("*#61#");
    expect(codes.voicemailWarning?.restoreCode).toBe("**004*+12125550123#");
    const unknownVoicemail = forwardingCodes({ carrier: "att", forwardingType: "safety_net", destination: DEST, ringTimeSeconds: 20 });
    expect(unknownVoicemail.voicemailWarning?.restoreCode).toBeNull();
    expect(unknownVoicemail.voicemailWarning?.restoreCodePattern).toBe("**004*<voicemail number>#");
  });

  it("Verizon has no status code and no GSM voicemail warning", () => {
    const codes = forwardingCodes({ carrier: "verizon", forwardingType: "safety_net", destination: DEST });
    expect(codes.statusCode).toBeNull();
    expect(codes.voicemailWarning).toBeNull();
  });
});

describe("refusals", () => {
  it("ring times outside {5,10,15,20,25,30} on GSM", () => {
    for (const ring of [0, 4, 7, 12, 31, 35, 60]) {
      expect(() => forwardingCodes({ carrier: "att", forwardingType: "safety_net", destination: DEST, ringTimeSeconds: ring }), `${ring}`).toThrow(
        /one of 5, 10, 15, 20, 25 or 30 seconds/,
      );
    }
    expect(() => forwardingCodes({ carrier: "other_gsm", forwardingType: "safety_net", destination: DEST })).toThrow(/one of 5, 10/);
  });

  it("a ring time for Verizon, or for forwarding all calls", () => {
    expect(() => forwardingCodes({ carrier: "verizon", forwardingType: "safety_net", destination: DEST, ringTimeSeconds: 20 })).toThrow(
      /Verizon has no dial code for a ring time/,
    );
    expect(() => forwardingCodes({ carrier: "tmobile", forwardingType: "total_ai", destination: DEST, ringTimeSeconds: 20 })).toThrow(
      /leave the ring time out/,
    );
  });

  it("T-Mobile and Verizon forward only to US numbers; AT&T and other GSM take international format", () => {
    const uk = "+442079460958";
    expect(() => forwardingCodes({ carrier: "tmobile", forwardingType: "total_ai", destination: uk })).toThrow(
      /T-Mobile forwards only to 10- or 11-digit US numbers/,
    );
    expect(() => forwardingCodes({ carrier: "verizon", forwardingType: "total_ai", destination: uk })).toThrow(/US numbers/);
    expect(forwardingCodes({ carrier: "att", forwardingType: "total_ai", destination: uk }).activationCode).toBe("**21*+442079460958#");
    expect(forwardingCodes({ carrier: "other_gsm", forwardingType: "safety_net", destination: uk, ringTimeSeconds: 15 }).activationCode).toBe(
      "**004*+442079460958*11*15#",
    );
  });
});
