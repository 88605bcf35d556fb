import fc from "fast-check";
import { z } from "zod";

/**
 * fast-check arbitraries generated from the contracts' zod schemas (via z.toJSONSchema), mixed
 * with values chosen to break things: NUL bytes, lone surrogates, impossible dates, huge numbers,
 * wrong types. Most generated values look like what the schema asks for, so requests get past
 * the first check and reach the handlers and the database.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
};

export const hostileStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "💥".repeat(40),
  "'; drop table public.call_logs; --",
  "%00",
  "../../etc/passwd",
  "x".repeat(5000),
  '{"$ne": null}',
  "1e20",
  "NaN",
];

export const hostileDates = [
  "0000-01-01T00:00:00Z",
  "0000-02-29T00:00:00+00:00",
  "9999-12-31T23:59:59Z",
  "2026-02-30T00:00:00Z",
  "2026-13-01T00:00:00Z",
  "1969-12-31T23:59:59.999999999Z",
  "275760-09-13T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "2026-03-10T25:61:00Z",
  "yesterday",
];

export const hostileNumbers = [1e20, -1e20, 1e308, -0, 0.5, -1, 2 ** 31, 2 ** 53 + 1, Number.MIN_VALUE];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, ...hostileNumbers, ...hostileStrings),
  fc.jsonValue({ maxDepth: 3 }),
);

function stringFor(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.format === "date-time") {
    return fc.oneof(
      fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(...hostileDates),
    );
  }
  if (s.format === "email") return fc.oneof(fc.emailAddress(), fc.constantFrom("a\u0000@b.com", "no-at-sign", `${"x".repeat(300)}@example.com`));
  if (s.format === "uuid") return fc.oneof(fc.uuid(), fc.constantFrom("not-a-uuid", "\u0000", "-".repeat(36)));
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 200) }) },
    { weight: 1, arbitrary: fc.constantFrom(...hostileStrings) },
  );
}

function schemaArbitrary(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return junk;
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => schemaArbitrary(a, depth + 1)));
  if (s.allOf?.length) return schemaArbitrary(s.allOf[0]!, depth + 1);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type) => schemaArbitrary({ ...s, type }, depth)));
  switch (s.type) {
    case "object": {
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, value(v, depth + 1)]));
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    case "array":
      return fc.array(s.items ? value(s.items, depth + 1) : junk, { maxLength: 4 });
    case "string":
      return stringFor(s);
    case "integer":
      return fc.oneof(fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 }), fc.constantFrom(...hostileNumbers));
    case "number":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...hostileNumbers));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return junk;
  }
}

/** A value for a schema: usually the right shape, sometimes junk. */
function value(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: schemaArbitrary(s, depth) }, { weight: 1, arbitrary: junk });
}

/** An arbitrary for what `schema` accepts as input, plus hostile near-misses and junk. */
export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return value(json, 0);
}

/** A query string from a generated object: arrays repeat the key, objects are JSON. */
export function toQueryString(query: unknown): string {
  const params = new URLSearchParams();
  if (query === undefined) return "";
  if (!query || typeof query !== "object" || Array.isArray(query)) {
    // JSON, not String(): a generated object may carry its own "toString" key (not a function).
    params.append("junk", typeof query === "string" ? query : JSON.stringify(query));
    return `?${params}`;
  }
  for (const [k, v] of Object.entries(query)) {
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, typeof item === "object" && item !== null ? JSON.stringify(item) : String(item));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** Path parameters: a UUID most of the time, else something hostile. */
export const pathParam: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom("not-a-uuid", "\u0000", "%00", "..", "a".repeat(2000), "00000000-0000-0000-0000-00000000000\u0000") },
);
