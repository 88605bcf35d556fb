import type { Clock } from "../../lib/clock";
import type { Config } from "../../config";
import type { Database } from "../../db/database";
import { LocalAuthProvider } from "./local-provider";
import type { AuthProvider } from "./provider";
import { SupabaseAuthProvider } from "./supabase-provider";

export type { AuthProvider, IssuedSession, SignUpInput } from "./provider";
export { LocalAuthProvider } from "./local-provider";
export { SupabaseAuthProvider } from "./supabase-provider";

/** `SUPABASE_URL` set → Supabase Auth; unset → local mode with the same semantics. */
export function createAuthProvider(deps: { config: Config; db: Database; clock: Clock }): AuthProvider {
  return deps.config.SUPABASE_URL ? new SupabaseAuthProvider(deps) : new LocalAuthProvider(deps);
}
