// Every command of the floorbalance CLI, one file each. Keep this list the only registry.
import type { Command } from "commander";
import { register as analyse } from "./analyse.js";
import { register as apply } from "./apply.js";
import { register as check } from "./check.js";
import { register as demo } from "./demo.js";
import { register as firmware } from "./firmware.js";
import { register as grafana } from "./grafana.js";
import { register as identify } from "./identify.js";
import { register as schema } from "./schema.js";
import { register as sensors } from "./sensors.js";
import { register as simulate } from "./simulate.js";
import { register as systemd } from "./systemd.js";
import { register as verify } from "./verify.js";
import { register as virtualNode } from "./virtual-node.js";

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  check,
  schema,
  simulate,
  firmware,
  virtualNode,
  sensors,
  identify,
  verify,
  analyse,
  apply,
  systemd,
  grafana,
  demo,
];
