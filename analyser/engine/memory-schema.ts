// The state file's shape, checked on load: a hand-edited or damaged file is refused with the
// entry that is wrong (events[3].value: …), instead of crashing later or keeping garbage in the
// trend. Pure; memory-file.ts does the reading.

import { z } from "zod";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const unit = z.enum(["l/min", "turns"]);

const event = z.looseObject({
  time: finite,
  cycle: z.number().int().min(0),
  kind: z.enum(["recommended", "applied", "detected"]),
  circuit: z.string().min(1),
  manifold: z.string(),
  unit,
  value: finite,
  from: finite.optional(),
  text: z.string(),
  spread_k: finite.optional(),
  expected_spread_k: finite.optional(),
  evidence: z.string().optional(),
});

const observation = z.looseObject({
  cycle: z.number().int().min(0),
  time: finite,
  spread_k: finite,
  flow_lpm: finite.optional(),
  error_k: finite.optional(),
  band_k: finite.optional(),
});

const trendPoint = z.strictObject({
  cycle: z.number().int().min(0),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD"),
  worst_deviation_k: finite,
});

export const memorySchema = z.looseObject({
  version: z.literal(1),
  cycle: z.number().int().min(0),
  last_run: finite.optional(),
  events: z.array(event),
  settings: z.record(z.string(), z.looseObject({ value: finite, unit, time: finite })),
  observations: z.record(z.string(), z.array(observation)).optional(),
  trend: z.array(trendPoint).optional(),
  mirrored: z.number().int().min(0).optional(),
});

/** "events[0].value" from a zod path. */
export function entryPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}

/** The first thing wrong with a parsed state file, naming the entry; undefined when it is fine. */
export function memorySchemaProblem(value: unknown): string | undefined {
  const r = memorySchema.safeParse(value);
  if (r.success) return undefined;
  const issue = r.error.issues[0]!;
  return `${issue.path.length ? entryPath(issue.path) : "the file"}: ${issue.message}`;
}
