// Every command of the floorbalance CLI, one file each. Keep this list the only registry.
// Modules load lazily: a run imports only the command it was asked for (the analyser, the
// simulator and the chart renderer are heavy), and `--help` imports them all.
import type { Command } from "commander";

type Module = { register(program: Command): void };

export const COMMANDS: Readonly<Record<string, () => Promise<Module>>> = {
  check: () => import("./check.js"),
  schema: () => import("./schema.js"),
  simulate: () => import("./simulate.js"),
  firmware: () => import("./firmware.js"),
  "virtual-node": () => import("./virtual-node.js"),
  sensors: () => import("./sensors.js"),
  identify: () => import("./identify.js"),
  verify: () => import("./verify.js"),
  analyse: () => import("./analyse.js"),
  apply: () => import("./apply.js"),
  systemd: () => import("./systemd.js"),
  grafana: () => import("./grafana.js"),
  demo: () => import("./demo.js"),
  influx: () => import("./influx.js"),
  comfort: () => import("./comfort.js"),
  curve: () => import("./curve.js"),
  calibrate: () => import("./calibrate.js"),
};

/** The modules needed to run `argv` (all of them for help or an unknown command). */
export async function loadCommands(argv: readonly string[]): Promise<Module[]> {
  const name = argv.slice(2).find((a) => !a.startsWith("-"));
  const loaders = name && name in COMMANDS ? [COMMANDS[name]] : Object.values(COMMANDS);
  return Promise.all(loaders.map((load) => load()));
}
