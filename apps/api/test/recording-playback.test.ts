/**
 * The drawer's recording player: the call detail gives a link to our own API (never the storage
 * host Vapi keeps the audio on), that link streams the bytes to a signed-in member of the same
 * clinic with byte ranges for seeking, stops working after 15 minutes of the app's clock, and opens
 * nothing for another clinic. The simulator's demo audio plays through the same link.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { virtualClock } from "../src/simulator/engine";
import { createTestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeVapiStorage, startFakeVapiStorage, toneWav } from "./helpers/fake-vapi-storage";
import { listen } from "./helpers/http";
import { playScenario, testTransport } from "./helpers/postcall";
import { addVapiIdentity, TestClock, type VapiIdentity } from "./helpers/vapi";

const NOW = new Date("2026-11-30T15:00:00Z");
const clock = new TestClock(NOW);
const t = await createTestApp({ clock });
const http = await listen(t.app);
const WAV = toneWav(2);

let storage: FakeVapiStorage;
let owner: TestUser;
let staff: TestUser;
let otherClinic: TestUser;
let vapiCallId: string; // a real call: its recording is on the storage host
let demoCallId: string; // a simulated call: its recording is the API's demo audio

async function simulatedCall(identity: VapiIdentity, phone: string): Promise<string> {
  const { calls } = await playScenario("new-patient-books", {
    transport: testTransport(http, t.config.vapiWebhookSecret),
    identity,
    caller: { name: "Rosa Diaz", phone },
    clock: virtualClock(NOW),
  });
  return (await t.admin.query("select id from call_logs where vapi_call_id = $1", [calls[0]!.id])).rows[0].id;
}

beforeAll(async () => {
  storage = await startFakeVapiStorage();
  owner = await signUpClinic(t, { timezone: "America/New_York" });
  staff = await addTeamMember(t, owner.orgId, { role: "staff" });
  otherClinic = await signUpClinic(t, { timezone: "America/New_York" });
  const identity = await addVapiIdentity(t.admin, owner.orgId);
  demoCallId = await simulatedCall(identity, "+12125550131");
  vapiCallId = await simulatedCall(identity, "+12125550132");
  await t.admin.query("update call_logs set recording_url = $2, stereo_recording_url = $3 where id = $1", [
    vapiCallId,
    storage.put(`recordings/${vapiCallId}-mono.wav`, WAV),
    storage.put(`recordings/${vapiCallId}-stereo.wav`, Buffer.concat([WAV, WAV])),
  ]);
});
afterAll(async () => {
  await storage?.close();
});

const detail = (callId: string, user: TestUser) => http.request("GET", `/api/calls-dashboard/${callId}`, { headers: user.bearer });
const play = (path: string, user: TestUser | null, headers: Record<string, string> = {}) =>
  fetch(`${http.baseUrl}${path}`, { headers: { ...(user?.bearer ?? {}), ...headers } });
const errorMessage = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe("a recording kept on Vapi's storage", () => {
  it("the detail links to our API, never to the storage host, and the link streams the bytes", async () => {
    clock.set(NOW);
    const res = await detail(vapiCallId, staff);
    expect(res.status).toBe(200);
    expect(res.body.recordingUrl).toMatch(/^\/api\/recordings\/play\/[\w-]+\.[\w-]+$/);
    expect(res.body.stereoRecordingUrl).toMatch(/^\/api\/recordings\/play\/[\w-]+\.[\w-]+$/);
    expect(res.text).not.toContain(new URL(storage.url).host);
    expect(res.text).not.toContain(`${vapiCallId}-mono.wav`);

    const audio = await play(res.body.recordingUrl, staff);
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-type")).toBe("audio/wav");
    expect(audio.headers.get("cache-control")).toBe("private, no-store");
    expect(Buffer.from(await audio.arrayBuffer()).equals(WAV)).toBe(true);
    const stereo = await play(res.body.stereoRecordingUrl, staff);
    expect((await stereo.arrayBuffer()).byteLength).toBe(WAV.length * 2);
    // The request log names the route, not the token that opens the recording.
    const token = res.body.recordingUrl.split("/").pop();
    expect(t.logs.text()).toContain("/api/recordings/play/[redacted]");
    expect(t.logs.text()).not.toContain(token);
  });

  it("seeks: the player's Range goes to the storage and its 206 comes back", async () => {
    clock.set(NOW);
    const link = (await detail(vapiCallId, owner)).body.recordingUrl;
    storage.requests.length = 0;
    const part = await play(link, owner, { range: "bytes=1000-1999" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1000-1999/${WAV.length}`);
    expect(part.headers.get("cache-control")).toBe("private, no-store");
    expect(Buffer.from(await part.arrayBuffer()).equals(WAV.subarray(1000, 2000))).toBe(true);
    expect(storage.requests).toEqual([{ path: `/recordings/${vapiCallId}-mono.wav`, range: "bytes=1000-1999" }]);

    const past = await play(link, owner, { range: `bytes=${WAV.length + 10}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${WAV.length}`);
  });

  it("stops working 15 minutes after the detail was read (the app's clock), with a message", async () => {
    clock.set(NOW);
    const link = (await detail(vapiCallId, staff)).body.recordingUrl;
    clock.set(new Date(NOW.getTime() + 15 * 60_000 - 1000));
    expect((await play(link, staff)).status).toBe(200);
    clock.set(new Date(NOW.getTime() + 15 * 60_000));
    const expired = await play(link, staff);
    expect(expired.status).toBe(410);
    expect(await errorMessage(expired)).toBe("This player link has expired. Close the call and open it again.");
    // Reading the call again gives a fresh link.
    expect((await play((await detail(vapiCallId, staff)).body.recordingUrl, staff)).status).toBe(200);
    clock.set(NOW);
  });

  it("needs a session of the same clinic: signed out 401, another clinic's member 404 for the call and the link", async () => {
    clock.set(NOW);
    const link = (await detail(vapiCallId, staff)).body.recordingUrl;
    expect((await play(link, null)).status).toBe(401);
    expect((await detail(vapiCallId, otherClinic)).status).toBe(404);
    const foreign = await play(link, otherClinic);
    expect(foreign.status).toBe(404);
    expect(await errorMessage(foreign)).toBe("This recording link is not valid. Check that it was copied in full.");
    // A player link is not a share link (which plays without a session): the share route refuses it.
    expect((await play(link.replace("/play/", "/shared/"), null)).status).toBe(404);
    // A changed byte opens nothing.
    const tampered = link.endsWith("A") ? `${link.slice(0, -1)}B` : `${link.slice(0, -1)}A`;
    expect((await play(tampered, staff)).status).toBe(404);
  });

  it("a share link is not a player link, and a storage outage is a 502 that says to retry", async () => {
    clock.set(NOW);
    const shared = await http.request("POST", `/api/calls-dashboard/${vapiCallId}/share`, { headers: owner.bearer, body: {} });
    const token = new URL(shared.body.url).pathname.split("/").pop();
    expect((await play(`/api/recordings/play/${token}`, owner)).status).toBe(404);
    expect((await play(`/api/recordings/shared/${token}`, null)).status).toBe(200);

    storage.failNext();
    const down = await play((await detail(vapiCallId, staff)).body.recordingUrl, staff);
    expect(down.status).toBe(502);
    expect(await errorMessage(down)).toBe("The recording could not be fetched right now. Try again in a minute.");
  });
});

describe("a simulated call's demo recording", () => {
  it("plays through the same player link, whole or by byte range", async () => {
    clock.set(NOW);
    const res = await detail(demoCallId, staff);
    expect(res.body.recordingUrl).toMatch(/^\/api\/recordings\/play\/[\w-]+\.[\w-]+$/);
    const whole = await play(res.body.recordingUrl, staff);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("audio/wav");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("cache-control")).toBe("private, no-store");
    const audio = Buffer.from(await whole.arrayBuffer());
    expect(audio.subarray(0, 4).toString()).toBe("RIFF");
    expect(audio.readUInt16LE(22)).toBe(1); // mono

    const tail = await play(res.body.recordingUrl, staff, { range: "bytes=44-" });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes 44-${audio.length - 1}/${audio.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(audio.subarray(44))).toBe(true);
    const past = await play(res.body.recordingUrl, staff, { range: `bytes=${audio.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${audio.length}`);

    const stereo = Buffer.from(await (await play(res.body.stereoRecordingUrl, staff)).arrayBuffer());
    expect(stereo.readUInt16LE(22)).toBe(2);
  });
});
