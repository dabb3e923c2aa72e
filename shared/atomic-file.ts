// Replacing a file so that a crash or Ctrl-C at any moment leaves either the old or the new
// content, never a torn one: write a temp file beside it, fsync, rename over, fsync the folder.
// Used for the house file, the engine's state, the calibration store, the outbox and generated
// units. Host side only (the firmware has its own flash ring).

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "./errors.js";
import { EXIT } from "./exit-codes.js";

export interface AtomicWriteOptions {
  /** Mode of a new file. An existing file keeps its own mode. Default 0o644. */
  mode?: number;
}

export function writeFileAtomic(file: string, text: string, options: AtomicWriteOptions = {}): void {
  const dir = dirname(file);
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
