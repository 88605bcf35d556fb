/**
 * A fake of the storage Vapi keeps call recordings on, on 127.0.0.1: GET of a stored file with
 * the object-storage answers a player relies on (`accept-ranges: bytes`, 206 with content-range
 * for one byte range, 416 with `bytes *\/size` when the range starts past the end, 404 for an
 * unknown key). Records each request's Range header so a test can see what our API passed on.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeVapiStorage = {
  url: string;
  /** Stores a file at `/<key>` (e.g. "recordings/call-1-mono.wav"). */
  put(key: string, body: Buffer, contentType?: string): string;
  /** The next `times` requests answer 500 (a storage outage). */
  failNext(times?: number): void;
  requests: { path: string; range: string | undefined }[];
  close(): Promise<void>;
};

/** A 16-bit mono PCM WAV of `seconds` of a 440 Hz tone at 8 kHz. */
export function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * seconds * 2);
  for (let i = 0; i < rate * seconds; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8);
  header.write("fmt ", 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export async function startFakeVapiStorage(): Promise<FakeVapiStorage> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const requests: FakeVapiStorage["requests"] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://storage").pathname;
    requests.push({ path, range: req.headers.range });
    if (failures > 0) {
      failures--;
      res.writeHead(500, { "content-type": "application/xml" }).end("<Error><Code>InternalError</Code></Error>");
      return;
    }
    const file = req.method === "GET" ? files.get(path) : undefined;
    if (!file) {
      res.writeHead(404, { "content-type": "application/xml" }).end("<Error><Code>NoSuchKey</Code></Error>");
      return;
    }
    const size = file.body.length;
    const single = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (!single || (single[1] === "" && single[2] === "")) {
      res.writeHead(200, { "content-type": file.type, "content-length": size, "accept-ranges": "bytes" }).end(file.body);
      return;
    }
    // bytes=a-b, bytes=a- (to the end), bytes=-n (the last n bytes)
    const start = single[1] === "" ? Math.max(0, size - Number(single[2])) : Number(single[1]);
    const end = single[1] === "" || single[2] === "" ? size - 1 : Math.min(Number(single[2]), size - 1);
    if (start >= size || start > end) {
      res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      return;
    }
    res
      .writeHead(206, {
        "content-type": file.type,
        "content-length": end - start + 1,
        "content-range": `bytes ${start}-${end}/${size}`,
        "accept-ranges": "bytes",
      })
      .end(file.body.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    put(key, body, type = "audio/wav") {
      files.set(`/${key}`, { body, type });
      return `${url}/${key}`;
    },
    failNext(times = 1) {
      failures = times;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
