import { randomUUID } from "node:crypto";
import { parseToolReply, type ToolArgsOf, type ToolReply, type VapiToolName, type vapiTools } from "@voxanne/contracts";
import { demoRecordingUrl } from "../demo/recordings";
import type { SimControl } from "./control";
import type { VapiTransport } from "./transport";

/**
 * Plays one phone call the way Vapi reports it (its server messages): status-update
 * ringing → in-progress, tool-calls through the real tool endpoint while the conversation
 * unfolds, then status-update ended and the end-of-call-report with artifact + analysis.
 */

/** Time for the simulation: real (optionally sped up) or virtual (instant, for seeding history). */
export type SimClock = { now(): Date; sleep(ms: number): Promise<void> };

export function realClock(speed = 1): SimClock {
  return {
    now: () => new Date(),
    sleep: (ms) => (speed <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms / speed))),
  };
}

export type VirtualClock = SimClock & { set(at: Date): void };

/** Time stands still except when the simulation waits: sleeping advances it instantly. */
export function virtualClock(start: Date): VirtualClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    sleep: async (ms) => {
      t += ms;
    },
    set: (at) => {
      t = at.getTime();
    },
  };
}

export type SimIdentity = { assistantId: string; phoneNumberId: string; clinicNumber: string };
export type SimCaller = { name: string; phone: string };

type ArtifactMessage = Record<string, unknown>;

/** Thrown out of a scenario when the dashboard took the call over; the call has already ended. */
export class CallTakenOver extends Error {
  constructor(
    readonly callId: string,
    readonly how: string,
  ) {
    super(`${callId} taken over from the dashboard (${how})`);
    this.name = "CallTakenOver";
  }
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

export class SimCall {
  readonly id = `sim-${randomUUID()}`;
  readonly messages: ArtifactMessage[] = [];
  readonly transcript: string[] = [];
  readonly toolResults: { name: string; result: string }[] = [];
  startedAt: Date | null = null;
  private toolSeq = 0;
  private destination: { type: "number"; number: string; description?: string } | null = null;

  constructor(
    private readonly transport: VapiTransport,
    private readonly clock: SimClock,
    private readonly identity: SimIdentity,
    readonly caller: SimCaller,
    readonly direction: "inbound" | "outbound" = "inbound",
    /**
     * Send the live transcript as Vapi does (a partial, then the final line, and the history after
     * each turn). Off when replaying past calls (history.ts): nobody watches those live.
     */
    private readonly liveTranscript = true,
    /** Vapi's control URL for the call (simulator/control.ts), when the dashboard may take it over. */
    private readonly control?: SimControl,
  ) {
    this.controlUrl = control?.urlFor(this.id) ?? null;
  }

  private readonly controlUrl: string | null;
  private over = false;

  /**
   * When the dashboard posted "end-call" or "transfer" to the control URL, the call ends as Vapi
   * would report it (ended, then the report), and the scenario stops.
   */
  private async checkTakenOver(): Promise<void> {
    const request = this.control?.takenOver(this.id);
    if (!request || this.over) return;
    this.over = true;
    if (request.type === "transfer") {
      this.destination = { type: "number", number: request.to, description: "Transferred by the clinic from the dashboard" };
      await this.transport.post("/api/vapi/webhook", this.envelope("status-update", "forwarding", { status: "forwarding", destination: this.destination }));
    }
    await this.finish({
      endedReason: request.type === "transfer" ? "assistant-forwarded-call" : "manually-canceled",
      summary:
        request.type === "transfer" ? "The clinic took the call over and transferred it to the front desk." : "The clinic ended the call from the dashboard.",
    });
    throw new CallTakenOver(this.id, request.type === "transfer" ? `transferred to ${request.to}` : "ended");
  }

  private envelope(type: string, status: string, extra: Record<string, unknown> = {}) {
    const now = this.clock.now();
    return {
      message: {
        type,
        timestamp: now.getTime(),
        call: {
          id: this.id,
          orgId: "sim-vapi-org",
          type: this.direction === "outbound" ? "outboundPhoneCall" : "inboundPhoneCall",
          status,
          phoneCallProvider: "twilio",
          phoneCallProviderId: `CA${this.id.replace(/[^a-f0-9]/g, "").slice(0, 32)}`,
          phoneNumberId: this.identity.phoneNumberId,
          assistantId: this.identity.assistantId,
          customer: { number: this.caller.phone },
          ...(this.controlUrl ? { monitor: { controlUrl: this.controlUrl } } : {}),
          createdAt: (this.startedAt ?? now).toISOString(),
          ...(this.startedAt ? { startedAt: this.startedAt.toISOString() } : {}),
        },
        phoneNumber: { id: this.identity.phoneNumberId, number: this.identity.clinicNumber, provider: "twilio" },
        customer: { number: this.caller.phone },
        assistant: { name: "Clinic receptionist" },
        ...extra,
      },
    };
  }

  private secondsFromStart(): number {
    return this.startedAt ? Math.round((this.clock.now().getTime() - this.startedAt.getTime()) / 100) / 10 : 0;
  }

  async ring(): Promise<void> {
    await this.transport.post("/api/vapi/webhook", this.envelope("status-update", "ringing", { status: "ringing" }));
    await this.clock.sleep(2500);
  }

  async answer(): Promise<void> {
    this.startedAt = this.clock.now();
    await this.transport.post("/api/vapi/webhook", this.envelope("status-update", "in-progress", { status: "in-progress" }));
  }

  /** One line of the conversation; takes as long as saying it (about 2.6 words a second). */
  async say(role: "assistant" | "user", text: string): Promise<void> {
    await this.checkTakenOver();
    const start = this.clock.now();
    const duration = Math.max(1.2, words(text) / 2.6);
    this.messages.push({
      role: role === "assistant" ? "bot" : "user",
      message: text,
      time: start.getTime(),
      endTime: start.getTime() + duration * 1000,
      secondsFromStart: this.secondsFromStart(),
      duration,
    });
    this.transcript.push(`${role === "assistant" ? "AI" : "User"}: ${text}`);
    if (this.liveTranscript) await this.sendTranscript(role, text);
    await this.clock.sleep(duration * 1000 + 600);
  }

  /** As Vapi sends them: partial lines while speaking, one final line, then the committed history. */
  private async sendTranscript(role: "assistant" | "user", text: string): Promise<void> {
    const partial = text.split(/\s+/).slice(0, 3).join(" ");
    await this.transport.post("/api/vapi/webhook", this.envelope("transcript", "in-progress", { role, transcriptType: "partial", transcript: partial }));
    await this.transport.post("/api/vapi/webhook", this.envelope("transcript", "in-progress", { role, transcriptType: "final", transcript: text }));
    const spoken = this.messages.filter((m) => m.role === "bot" || m.role === "user");
    await this.transport.post(
      "/api/vapi/webhook",
      this.envelope("conversation-update", "in-progress", {
        messages: this.messages,
        messagesOpenAIFormatted: spoken.map((m) => ({ role: m.role === "bot" ? "assistant" : "user", content: m.message })),
      }),
    );
  }

  /**
   * Calls one of our tools through POST /api/vapi/tools, as Vapi does mid-call, with the arguments
   * named as its definition publishes them (packages/contracts/src/vapi-tools.ts); returns what it said.
   */
  async tool<N extends VapiToolName>(name: N, args: ToolArgsOf<(typeof vapiTools)[N]>): Promise<ToolReply> {
    await this.checkTakenOver();
    const toolCallId = `call_${this.id.slice(4, 12)}_${++this.toolSeq}`;
    const call = { id: toolCallId, type: "function", function: { name, arguments: args } };
    this.messages.push({
      role: "tool_calls",
      message: "",
      toolCalls: [{ ...call, function: { name, arguments: JSON.stringify(args) } }],
      time: this.clock.now().getTime(),
      secondsFromStart: this.secondsFromStart(),
    });
    const res = await this.transport.post("/api/vapi/tools", this.envelope("tool-calls", "in-progress", { toolCallList: [call], toolCalls: [call] }));
    const item = (res.json as { results?: { result?: string; error?: string }[] } | null)?.results?.[0];
    const text = item?.result ?? item?.error ?? "No result returned.";
    this.messages.push({
      role: "tool_call_result",
      name,
      toolCallId,
      result: text,
      time: this.clock.now().getTime(),
      secondsFromStart: this.secondsFromStart(),
    });
    this.toolResults.push({ name, result: text });
    await this.clock.sleep(700);
    return parseToolReply(text);
  }

  /** The assistant hands the caller to a person (Vapi status "forwarding"). */
  async forward(number: string, description: string): Promise<void> {
    await this.checkTakenOver();
    this.destination = { type: "number", number, description };
    await this.transport.post("/api/vapi/webhook", this.envelope("status-update", "forwarding", { status: "forwarding", destination: this.destination }));
    await this.clock.sleep(1500);
  }

  async end(options: { endedReason?: string; summary: string; structuredData?: Record<string, unknown>; recording?: boolean }): Promise<void> {
    await this.checkTakenOver();
    this.over = true;
    await this.finish(options);
  }

  private async finish(options: { endedReason?: string; summary: string; structuredData?: Record<string, unknown>; recording?: boolean }): Promise<void> {
    const endedReason = options.endedReason ?? (this.destination ? "assistant-forwarded-call" : "customer-ended-call");
    const startedAt = this.startedAt ?? this.clock.now();
    const endedAt = this.clock.now();
    await this.transport.post("/api/vapi/webhook", this.envelope("status-update", "ended", { status: "ended", endedReason }));
    // Vapi's post-processing (summary, recording upload) takes a few seconds.
    await this.clock.sleep(3000);
    const minutes = (endedAt.getTime() - startedAt.getTime()) / 60_000;
    const transcript = this.transcript.join("\n");
    // Simulated calls have no real audio: the API serves a generated demo recording (demo/recordings.ts).
    const recordingUrl = options.recording === false ? undefined : demoRecordingUrl(this.id, "mono");
    const stereoRecordingUrl = options.recording === false ? undefined : demoRecordingUrl(this.id, "stereo");
    const report = this.envelope("end-of-call-report", "ended", {
      endedReason,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      cost: Math.round((0.02 + minutes * 0.11) * 10_000) / 10_000,
      costs: [
        { type: "transport", cost: Math.round(minutes * 0.013 * 10_000) / 10_000 },
        { type: "vapi", cost: Math.round(minutes * 0.05 * 10_000) / 10_000 },
      ],
      ...(this.destination ? { destination: this.destination } : {}),
      artifact: {
        transcript,
        messages: this.messages,
        messagesOpenAIFormatted: this.messages
          .filter((m) => m.role === "bot" || m.role === "user")
          .map((m) => ({ role: m.role === "bot" ? "assistant" : "user", content: m.message })),
        ...(recordingUrl ? { recordingUrl, stereoRecordingUrl, recording: { stereoUrl: stereoRecordingUrl, mono: { combinedUrl: recordingUrl } } } : {}),
      },
      analysis: { summary: options.summary, ...(options.structuredData ? { structuredData: options.structuredData } : {}), successEvaluation: "true" },
    });
    (report.message.call as Record<string, unknown>).endedReason = endedReason;
    (report.message.call as Record<string, unknown>).endedAt = endedAt.toISOString();
    this.lastReport = report;
    await this.transport.post("/api/vapi/webhook", report);
  }

  /** The end-of-call report as sent (tests redeliver it). */
  lastReport: object | null = null;
}

/** The starts checkAvailability offered: its reply's slot hints (integrations/vapi/speech.ts). */
export function offeredStarts(reply: ToolReply): string[] {
  return (reply.slots ?? []).map((s) => s.start);
}

/** A phone number in a reply (spoken part or instructions). */
export function phoneIn(text: string): string | null {
  return /\+[1-9]\d{6,14}/.exec(text)?.[0] ?? null;
}
