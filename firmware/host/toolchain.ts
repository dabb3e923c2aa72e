// Finding the tools a build and a USB flash need, and saying exactly what to install when one is
// missing. Pure over an environment and a file-existence probe, so the tests can hand it any
// machine they like.

import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";

/** The versions the firmware is built and tested against (docs/firmware-delivery.md says the same). */
export const MODDABLE_VERSION = "8.2.x";
export const ESP_IDF_VERSION = "v6.0";

export interface Probe {
  env: NodeJS.ProcessEnv;
  exists(path: string): boolean;
}

export const realProbe = (env: NodeJS.ProcessEnv = process.env): Probe => ({ env, exists: existsSync });

/** First file named `name` in the PATH directories, or undefined. */
export function onPath(name: string, probe: Probe): string | undefined {
  for (const dir of (probe.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (probe.exists(candidate)) return candidate;
  }
  return undefined;
}

export interface Moddable {
  root: string;
  mcconfig: string;
}

export function findModdable(probe: Probe): Moddable {
  const root = probe.env.MODDABLE;
  const install = `install the Moddable SDK ${MODDABLE_VERSION} (https://github.com/Moddable-OpenSource/moddable, documentation/Moddable SDK - Getting Started.md, "Linux" then "ESP32"), then export MODDABLE=~/Projects/moddable and add $MODDABLE/build/bin/lin/release to PATH`;
  if (!root) throw new UserError("the Moddable SDK is not set up: $MODDABLE is not set", EXIT.toolMissing, install);
  if (!probe.exists(join(root, "build", "devices", "esp32"))) {
    throw new UserError(`$MODDABLE (${root}) does not look like a Moddable SDK checkout: build/devices/esp32 is missing`, EXIT.toolMissing, install);
  }
  const mcconfig = onPath("mcconfig", probe) ?? [join(root, "build", "bin", "lin", "release", "mcconfig"), join(root, "build", "bin", "mac", "release", "mcconfig")].find((p) => probe.exists(p));
  if (!mcconfig) {
    throw new UserError("the Moddable SDK's tools are not built: mcconfig was not found on PATH or in $MODDABLE/build/bin", EXIT.toolMissing, "build the SDK's host tools as its guide describes (documentation/Moddable SDK - Getting Started.md, Linux), then add $MODDABLE/build/bin/lin/release to PATH");
  }
  return { root, mcconfig };
}

const IDF_HINT = `install ESP-IDF ${ESP_IDF_VERSION} (git clone -b ${ESP_IDF_VERSION} --recursive https://github.com/espressif/esp-idf.git ~/esp32/esp-idf && ~/esp32/esp-idf/install.sh esp32), then in each shell: export IDF_PATH=~/esp32/esp-idf && . $IDF_PATH/export.sh`;

export function findIdf(probe: Probe): { idfPath: string; idfPy: string } {
  const idfPath = probe.env.IDF_PATH;
  if (!idfPath) throw new UserError("ESP-IDF is not set up: $IDF_PATH is not set", EXIT.toolMissing, IDF_HINT);
  if (!probe.exists(join(idfPath, "tools", "idf.py"))) throw new UserError(`$IDF_PATH (${idfPath}) does not contain tools/idf.py`, EXIT.toolMissing, IDF_HINT);
  const idfPy = onPath("idf.py", probe);
  if (!idfPy) throw new UserError("idf.py is not on PATH: the ESP-IDF environment is not loaded in this shell", EXIT.toolMissing, ". $IDF_PATH/export.sh (it puts idf.py, esptool and the xtensa toolchain on PATH)");
  return { idfPath, idfPy };
}

export function findEsptool(probe: Probe): string {
  const found = onPath("esptool", probe) ?? onPath("esptool.py", probe);
  if (!found) {
    throw new UserError("esptool was not found on PATH", EXIT.toolMissing, `. $IDF_PATH/export.sh (ESP-IDF ${ESP_IDF_VERSION} ships esptool in its Python environment), or pip install esptool`);
  }
  return found;
}

/** The ESP32's USB serial port: the one given, else the only /dev/ttyUSB* or /dev/ttyACM*. */
export function findSerialPort(given: string | undefined, probe: Probe, list: () => string[] = listSerialPorts): string {
  const plugHint =
    "connect the ESP32 with a USB data cable (not a charge-only one); install the driver of its USB-serial chip if needed (CP210x or CH340: built into Linux); add yourself to the dialout group (sudo usermod -aG dialout $USER, then log in again); name the port with --port /dev/ttyUSB0";
  if (given) {
    if (!probe.exists(given)) throw new UserError(`the serial port ${given} does not exist`, EXIT.toolMissing, plugHint);
    return given;
  }
  const ports = list();
  if (ports.length === 0) throw new UserError("no serial port found (/dev/ttyUSB*, /dev/ttyACM*)", EXIT.toolMissing, plugHint);
  if (ports.length > 1) throw new UserError(`several serial ports found (${ports.join(", ")})`, EXIT.usage, "name the node's port with --port");
  return ports[0]!;
}

export function listSerialPorts(): string[] {
  try {
    return readdirSync("/dev")
      .filter((n) => /^tty(USB|ACM)\d+$/.test(n))
      .sort()
      .map((n) => "/dev/" + n);
  } catch {
    return [];
  }
}
