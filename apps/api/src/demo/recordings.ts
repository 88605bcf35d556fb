/**
 * Audio for the simulator's demo calls, generated and served by this API, so the embedded demo has
 * a recording player that plays without any request to an outside host (Vapi's real recordings
 * live on its storage; simulated calls have none). Synthetic: a soft two-note chime and silence,
 * no voice, no patient data.
 */

/** Where a simulated call's recording is served (same origin as the dashboard through its /api proxy). */
export const DEMO_RECORDING_PATH = "/api/demo/recordings";
export const DEMO_RECORDING_NAME = /^[A-Za-z0-9_-]{1,80}-(mono|stereo)\.wav$/;

export const demoRecordingUrl = (callId: string, channels: "mono" | "stereo") => `${DEMO_RECORDING_PATH}/${callId}-${channels}.wav`;

const SAMPLE_RATE = 8000;

/** A 16-bit PCM WAV: 3 s, a 440 Hz then 660 Hz chime with a gentle fade, then quiet. */
function chimeWav(channels: 1 | 2): Buffer {
  const seconds = 3;
  const frames = SAMPLE_RATE * seconds;
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const t = i / SAMPLE_RATE;
    const note = t < 0.6 ? 440 : t < 1.2 ? 660 : 0;
    const envelope = note ? Math.min(1, t * 20) * Math.exp(-3 * (t % 0.6)) : 0;
    const sample = Math.round(Math.sin(2 * Math.PI * note * t) * envelope * 0.3 * 32767);
    for (let c = 0; c < channels; c++) data.writeInt16LE(sample, (i * channels + c) * 2);
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8);
  header.write("fmt ", 12);
  header.writeUInt32LE(16, 16); // PCM chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

let cached: { mono: Buffer; stereo: Buffer } | undefined;

/** The audio for a demo recording's file name, or null for a name that is not one. */
export function demoRecording(name: string): Buffer | null {
  const match = DEMO_RECORDING_NAME.exec(name);
  if (!match) return null;
  cached ??= { mono: chimeWav(1), stereo: chimeWav(2) };
  return match[1] === "stereo" ? cached.stereo : cached.mono;
}
