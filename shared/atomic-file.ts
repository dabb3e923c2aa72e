// Replacing a file so that a crash or Ctrl-C at any moment leaves either the old or the new
// content, never a torn one: write a temp file beside it, fsync, rename over, fsync the folder.
// Used for the house file, the engine's state, the calibration store, the outbox and generated
// units. Host side only (the firmware has its own flash ring).

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "./errors.js";
import { EXIT } from "./exit-codes.js";

export interface AtomicWriteOptions {
  /** Mode of a new file. An existing file keeps its own mode. Default 0o644. */
  mode?: number;
}

/** A temp file older than this is stale whoever wrote it (its PID may belong to a new process now). */
export const STALE_TEMP_MS = 10 * 60_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove temp files a killed writer left beside `file` (.NAME.PID.TIME.tmp): those whose process
 * is gone, our own (writes here are synchronous, so none of ours is in flight), and any older
 * than STALE_TEMP_MS. A writer that is alive and recent keeps its temp file. Returns the removed names.
 */
export function cleanStaleTemps(file: string, now = Date.now()): string[] {
  const dir = dirname(file);
  const prefix = `.${basename(file)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const m = /^(\d+)\.(\d+)\.tmp$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    let age = now - Number(m[2]);
    try {
      age = Math.max(age, now - statSync(join(dir, name)).mtimeMs);
    } catch {
      continue;
    }
    if (pid === process.pid || !pidAlive(pid) || age > STALE_TEMP_MS) {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

export function writeFileAtomic(file: string, text: string, options: AtomicWriteOptions = {}): void {
  const dir = dirname(file);
  cleanStaleTemps(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const mode = existingMode(file) ?? options.mode ?? 0o644;
    const fd = openSync(temp, "w", mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new UserError(`could not write ${file}: ${(err as Error).message}`, EXIT.usage, "check that the file and its folder are writable");
  }
  syncFolder(dir);
}

function existingMode(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse to fsync a folder; the rename is atomic all the same.
  }
}
