// Options several commands share, so they read the same everywhere.

import type { Command } from "commander";
import { formatIssue, type LoadedHouse } from "../shared/house/index.js";
import { loadHouseFile } from "../shared/house/load.js";

export const DEFAULT_CONFIG = "house.yaml";

/**
 * The house file option, also accepted as the one positional argument (`floorbalance check
 * house.yaml`, as ESPHome users type it). Declared as excess arguments taken up before the
 * action, so every action keeps its (options) signature.
 */
export function configOption(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", `house file, also as the argument (default: $FLOORBALANCE_CONFIG, else ./${DEFAULT_CONFIG})`)
    .usage("[options] [house-file]")
    .allowExcessArguments(true)
    .hook("preAction", (self) => {
      // A command's own arguments (`comfort ROOM VOTE`) come first; the house file may follow them.
      const declared = self.registeredArguments.length;
      const extra = self.args.slice(declared);
      // `comfort house.yaml`: a YAML file in an argument's place is the house file, not a room.
      const last = self.processedArgs.findLastIndex((a: unknown) => typeof a === "string");
      if (extra.length === 0 && last >= 0 && /\.ya?ml$/i.test(self.processedArgs[last])) {
        extra.push(self.processedArgs[last]);
        self.processedArgs[last] = undefined;
      }
      const [file, ...more] = extra;
      if (more.length > 0) self.error(`error: too many arguments: only the house file may be given without an option (got ${self.args.join(" ")})`);
      if (file === undefined) return;
      const given = self.getOptionValue("config") as string | undefined;
      if (given !== undefined && given !== file) self.error(`error: two house files: ${file} and --config ${given}; give one`);
      self.setOptionValue("config", file);
    });
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
    // The same notation as errors: file:line:col, circuits[3].valve.setting_lpm.
    for (const w of loaded.warnings) process.stderr.write(formatIssue(loaded.file, w) + "\n");
  }
  return loaded;
}
