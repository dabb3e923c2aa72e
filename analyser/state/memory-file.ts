// The state file: JSON, written atomically (temp file in the same directory, fsync, rename,
// fsync of the directory) so a crash or power cut mid-write leaves the old file intact.

import { readFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { emptyMemory, memoryProblem, type Memory } from "../engine/memory.js";

export function defaultStatePath(): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(base, "floorbalance", "state.json");
}

/** Load the state file; a missing file is an empty memory, a damaged one a UserError. */
export function loadMemory(file: string): Memory {
  if (!existsSync(file)) return emptyMemory();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UserError(
      `${file}: the state file is not valid JSON (${(e as Error).message})`,
      EXIT.usage,
      "restore it from a backup, or move it away to start with an empty memory",
    );
  }
  const problem = memoryProblem(parsed);
  if (problem) throw new UserError(`${file}: not a floorbalance state file: ${problem}`, EXIT.usage, "pass the right file with --state");
  const m = parsed as Memory;
  return { ...emptyMemory(), ...m, observations: m.observations ?? {}, trend: m.trend ?? [] };
}

import { writeFileAtomic } from "../../shared/atomic-file.js";

export function saveMemory(file: string, memory: Memory): void {
  writeFileAtomic(file, JSON.stringify(memory, null, 1) + "\n", { mode: 0o600 });
}

