// The votes file: JSON beside the house file (house.yaml → house.comfort.json), written
// atomically, validated on load. The imperative edge of votes.ts.

import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { VOTES, type Vote } from "./votes.js";

const fileSchema = z
  .object({
    version: z.literal(1),
    votes: z.array(z.object({ room: z.string().min(1), vote: z.enum(VOTES), time: z.number().int().positive() }).strict()),
  })
  .strict();

export function votesPathFor(houseFile: string): string {
  return join(dirname(houseFile), `${basename(houseFile, extname(houseFile))}.comfort.json`);
}

/** The votes in the file; a missing file has none, a damaged one is a UserError (never silently emptied). */
export function loadVotes(file: string): Vote[] {
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UserError(`${file}: the comfort votes file is not valid JSON (${(e as Error).message})`, EXIT.usage, "restore it from a backup, or move it away to start without votes");
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UserError(`${file}: not a floorbalance comfort votes file: ${i.path.join(".") || "(top level)"}: ${i.message}`, EXIT.usage, "restore it from a backup, or move it away to start without votes");
  }
  return parsed.data.votes;
}

export function saveVotes(file: string, votes: readonly Vote[]): void {
  const sorted = [...votes].sort((a, b) => a.time - b.time);
  writeFileAtomic(file, JSON.stringify({ version: 1, votes: sorted }, null, 1) + "\n", { mode: 0o644 });
}

/** Keeps the file small: votes older than a year say nothing any more (the shift's half-life is weeks). */
export function pruneVotes(votes: readonly Vote[], now: number, keepS = 365 * 86400): Vote[] {
  return votes.filter((v) => now - v.time <= keepS);
}
