// Reading the house file from disk: the one node:fs step before the pure validation
// (validate.ts). Shell code (the CLI, benches, tests) imports it from here; shared/house/index.ts
// stays pure.

import { readFileSync } from "node:fs";
import { HouseFileError, parseHouseText, type LoadedHouse } from "./validate.js";

export function loadHouseFile(file: string): LoadedHouse {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : `cannot be read (${code ?? "error"})`;
    throw new HouseFileError(file, [
      { severity: "error", path: [], message: `the house file ${why}; pass the right one with --config FILE (examples/house.yaml is a start)` },
    ]);
  }
  return parseHouseText(text, file);
}

