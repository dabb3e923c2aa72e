// Options several commands share, so they read the same everywhere.

import type { Command } from "commander";
import { type LoadedHouse } from "../shared/house/index.js";
import { loadHouseFile } from "../shared/house/load.js";

export const DEFAULT_CONFIG = "house.yaml";

export function configOption(cmd: Command): Command {
  return cmd.option("-c, --config <file>", `house file (default: $FLOORBALANCE_CONFIG, else ./${DEFAULT_CONFIG})`);
}

export function configPath(opts: { config?: string }): string {
  if (opts.config) return opts.config;
  if (process.env.FLOORBALANCE_CONFIG) return process.env.FLOORBALANCE_CONFIG;
  return DEFAULT_CONFIG;
}

/** Load and validate the house file, printing warnings to stderr. Throws HouseFileError. */
export function loadHouse(opts: { config?: string }, quiet = false): LoadedHouse {
  const loaded = loadHouseFile(configPath(opts));
  if (!quiet) {
    for (const w of loaded.warnings) process.stderr.write(`${loaded.file}: warning: ${w.path.join(".")}: ${w.message}\n`);
  }
  return loaded;
}
