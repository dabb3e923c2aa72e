// Small shared pieces of the three commissioning commands' shells.

import { Option } from "commander";
import { UserError } from "../shared/errors.js";
import type { House } from "../shared/house/index.js";
import type { Lang } from "./render.js";

/** Hidden: fixes "now" (unix s) so a run over stored data is reproducible. */
export const nowOption = () => new Option("--now <unix-seconds>", "judge as if it were this time (for replays and tests)").hideHelp();

export function nowFrom(opts: { now?: string }): number {
  if (opts.now === undefined) return Math.floor(Date.now() / 1000);
  const n = Number(opts.now);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`--now ${opts.now} is not a Unix time in seconds`);
  return n;
}

export function langOf(house: House): Lang {
  return house.site.language === "en" ? "en" : "de";
}

export function requireNode(house: House, id: string): House["nodes"][number] {
  const node = house.nodes.find((n) => n.id === id);
  if (!node) throw new UserError(`no node "${id}" in the house file`, undefined, `nodes: ${house.nodes.map((n) => n.id).join(", ")}`);
  return node;
}
