import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger";

/** A logger whose lines are parsed back, so a test sees exactly what an operator would. */
function capturingLogger() {
  const lines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination }), lines };
}

// Secrets, credentials and patient numbers that have reached log calls in this codebase (written
// out here, not read from logger.ts, so a key dropped from the list fails this test).
const SENSITIVE = [
  "password",
  "token",
  "accessToken",
  "refreshToken",
  "secret",
  "authorization",
  "cookie",
  "phone",
  "phoneNumber",
  "callerPhone",
  "customerNumber",
  "customer",
  "callerNumber",
  "fromNumber",
  "from_number",
  "authToken",
  "apiKeySecret",
  "twilioAuthToken",
  "twilioApiSecret",
  "ENCRYPTION_KEY",
  "encryptionKey",
  "controlUrl",
  "control_url",
  "listenUrl",
  "encrypted_password",
];

describe("log redaction", () => {
  it("censors every sensitive key at the top, nested, deep and inside arrays, and keeps the rest", () => {
    const { logger, lines } = capturingLogger();
    for (const key of SENSITIVE) {
      const value = `VALUE-OF-${key}`;
      const logged = {
        [key]: value,
        call: { id: "call-1", [key]: value },
        deep: { a: { b: { c: { d: { [key]: value, kept: 7 } } } } },
        turns: [{ role: "user", [key]: value }],
        tool: "checkAvailability",
      };
      logger.info(logged, "a line");
      // The caller's object is untouched: it is copied where censored, never mutated.
      expect(logged[key]).toBe(value);
      expect(logged.call[key]).toBe(value);
    }
    expect(lines).toHaveLength(SENSITIVE.length);
    for (const [i, key] of SENSITIVE.entries()) {
      const line = lines[i]!;
      expect(JSON.stringify(line), key).not.toContain(`VALUE-OF-${key}`);
      expect(line[key]).toBe("[redacted]");
      expect(line.call).toEqual({ id: "call-1", [key]: "[redacted]" });
      expect(line.deep.a.b.c.d).toEqual({ [key]: "[redacted]", kept: 7 });
      expect(line.turns).toEqual([{ role: "user", [key]: "[redacted]" }]);
      expect(line.tool).toBe("checkAvailability");
      expect(line.msg).toBe("a line");
    }
  });

  it("censors a child logger's bindings and a logged error's own fields, keeping the error's message", () => {
    const { logger, lines } = capturingLogger();
    const child = logger.child({ caller: { customerNumber: "+12125557741", name: "kept" } });
    const err = Object.assign(new Error("Twilio refused the credentials"), {
      code: "TWILIO_401",
      twilioAuthToken: "tok_live_1234",
      detail: "Key (phone)=(+12125557741) already exists.",
    });
    child.error({ err, attempt: 2 }, "connect failed");
    const text = JSON.stringify(lines);
    expect(text).not.toContain("+12125557741");
    expect(text).not.toContain("tok_live_1234");
    expect(lines[0]!.caller).toEqual({ customerNumber: "[redacted]", name: "kept" });
    expect(lines[0]!.err).toMatchObject({ message: "Twilio refused the credentials", code: "TWILIO_401", twilioAuthToken: "[redacted]" });
    expect(lines[0]!.err.stack).toContain("Twilio refused the credentials");
    expect(lines[0]!.attempt).toBe(2);
  });
});
