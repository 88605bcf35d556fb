/**
 * The fake Google (./fake-google.ts) as a process, for the end-to-end run (apps/web/playwright.config.ts
 * starts it and points the API's GOOGLE_API_BASE_URL at it): `node --import tsx test/helpers/fake-google-server.ts <port>`.
 */
import { startFakeGoogle } from "./fake-google";

const port = Number(process.argv[2] ?? 0);
const google = await startFakeGoogle({ port });
process.stdout.write(`fake Google listening on ${google.url}\n`);
const stop = () => void google.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
