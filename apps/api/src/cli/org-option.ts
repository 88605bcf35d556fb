import { z } from "zod";

/** `--org <uuid>` for the commands about one clinic: the id, or a usage error to show. */
export function orgOption(values: Record<string, unknown>): { orgId: string } | { error: string } {
  const parsed = z.uuid().safeParse(values.org);
  if (parsed.success) return { orgId: parsed.data };
  return {
    error:
      values.org === undefined
        ? "--org <clinic id> is required (the organization's UUID, from the admin page)."
        : `--org must be a clinic's UUID; got "${String(values.org)}".`,
  };
}
