// `floorbalance firmware flash --node ID [--port P]`: the first flash over USB. esptool writes
// the four files of the node's build at the offsets of firmware/core/partitions.ts, exactly as
// `pio run -e <node> -t upload` does through PlatformIO's esptool (firmware/platformio/
// extra_script.py reads the same list from platformio.ini). Flashing otadata's initial image
// makes ota_0 the boot slot, so the first OTA lands in ota_1.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { FLASH_IMAGES, hex } from "../core/partitions.js";
import { buildPaths, runInherit, type Runner } from "./build.js";
import { findEsptool, findSerialPort, listSerialPorts, type Probe } from "./toolchain.js";

export const FLASH_BAUD = 921600;

/** esptool arguments; the underscore spellings work with esptool 4.x (PlatformIO) and 5.x (ESP-IDF v6). */
export function esptoolArgs(port: string, binDir: string, baud: number = FLASH_BAUD): string[] {
  const images = FLASH_IMAGES.flatMap(({ offset, file }) => [hex(offset), join(binDir, file)]);
  return ["--chip", "esp32", "--port", port, "--baud", String(baud), "--before", "default_reset", "--after", "hard_reset", "write_flash", "-z", "--flash_mode", "dio", "--flash_size", "4MB", ...images];
}

export async function flashNode(opts: { node: string; port?: string; probe: Probe; debug?: boolean; root?: string; run?: Runner; listPorts?: () => string[]; log?: (line: string) => void }): Promise<void> {
  const esptool = findEsptool(opts.probe);
  const port = findSerialPort(opts.port, opts.probe, opts.listPorts ?? listSerialPorts);
  const paths = buildPaths(opts.node, opts);
  for (const { file } of FLASH_IMAGES) {
    if (!existsSync(join(paths.bin, file))) {
      throw new UserError(`${opts.node} has not been built: ${join(paths.bin, file)} is missing`, EXIT.usage, `floorbalance firmware build --node ${opts.node}${opts.debug ? " --debug" : ""}`);
    }
  }
  opts.log?.(`flashing ${opts.node} on ${port}`);
  const code = await (opts.run ?? runInherit)(esptool, esptoolArgs(port, paths.bin), { env: opts.probe.env });
  if (code !== 0) {
    throw new UserError(`esptool failed (exit code ${code}) flashing ${opts.node} on ${port}`, EXIT.toolMissing, "hold the board's BOOT button while esptool says 'Connecting…', or try a lower speed; check that no serial monitor holds the port");
  }
}
