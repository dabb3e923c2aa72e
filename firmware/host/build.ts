// `floorbalance firmware build --node ID`: the Moddable build of one node's firmware.
// The node's configuration (firmware/host/config.ts, from the house file) and its secrets are
// written into a small per-node manifest that includes firmware/manifest.json; mcconfig then
// builds it for esp32 with ESP-IDF. Without ESP-IDF, checkFirmware runs the stages that need none
// (sdk-check.ts, the same check as CI). The per-node folder holds secrets: it lives under the
// git-ignored .floorbalance/ and is created readable by the owner only.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import type { NodeConfig } from "../core/config.js";
import { FLASH_IMAGES, OTA_SLOT_SIZE } from "../core/partitions.js";
import { checkWithoutIdf, type Capture, type SdkCheck } from "./sdk-check.js";
import { findIdf, findModdable, type Probe } from "./toolchain.js";

export const FIRMWARE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface BuildPaths {
  /** .floorbalance/build/<node>: the per-node manifest (holds secrets). */
  dir: string;
  manifest: string;
  /** mcconfig's -o. */
  out: string;
  /** Where mcconfig leaves xs_esp32.bin, bootloader.bin, partition-table.bin, ota_data_initial.bin. */
  bin: string;
  /** {node, firmware, bytes, sha256} of the app image, written after a successful build. */
  imageInfo: string;
}

export function buildPaths(node: string, opts: { root?: string; debug?: boolean } = {}): BuildPaths {
  const dir = resolve(opts.root ?? process.cwd(), ".floorbalance", "build", node);
  const out = join(dir, "out");
  // mcconfig: <out>/bin/<platform>/<debug|release>/<NAME>, NAME = the manifest's folder name.
  const bin = join(out, "bin", "esp32", opts.debug ? "debug" : "release", node);
  return { dir, manifest: join(dir, "manifest.json"), out, bin, imageInfo: join(bin, "image.json") };
}

/** The per-node manifest: the firmware's manifest plus this node's `config` (mc/config). */
export function nodeManifest(config: NodeConfig, firmwareDir: string = FIRMWARE_DIR): string {
  return JSON.stringify({ include: [join(firmwareDir, "manifest.json")], config }, null, "\t") + "\n";
}

export function mcconfigArgs(paths: BuildPaths, opts: { debug?: boolean } = {}): string[] {
  return [...(opts.debug ? ["-d"] : []), "-m", "-p", "esp32", "-t", "build", "-o", paths.out, paths.manifest];
}

export interface ImageInfo {
  node: string;
  firmware: string;
  bytes: number;
  sha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export type Runner = (command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }) => Promise<number>;

/** Run a tool with its output on our terminal; resolves its exit code. */
export const runInherit: Runner = (command, args, opts) =>
  new Promise((resolveCode, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", (err) => reject(new UserError(`could not start ${command}: ${err.message}`, EXIT.toolMissing)));
    child.on("exit", (code) => resolveCode(code ?? 1));
  });

export interface BuildTools {
  moddable: string;
  mcconfig: string;
  /** Why ESP-IDF cannot be used (not set up, no idf.py …); the build can then only run checkWithoutIdf. */
  idfMissing?: UserError;
}

/** Tools first: they are what a newcomer is most likely missing, and the check needs no secrets. Throws when the Moddable SDK is missing. */
export function checkBuildTools(probe: Probe): BuildTools {
  const moddable = findModdable(probe);
  try {
    findIdf(probe);
    return { moddable: moddable.root, mcconfig: moddable.mcconfig };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { moddable: moddable.root, mcconfig: moddable.mcconfig, idfMissing: err };
  }
}

/** The per-node manifest, private to the owner (with secrets it holds them). */
function writeNodeManifest(config: NodeConfig, paths: BuildPaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  writeFileSync(paths.manifest, nodeManifest(config), { mode: 0o600 });
  chmodSync(paths.manifest, 0o600);
}

/**
 * Without ESP-IDF: the stages of the build that need none (manifest, tsc, xsc, xsl, imports), the
 * same check CI runs. `config` should carry no secrets: nothing is flashed from this.
 */
export async function checkFirmware(opts: { config: NodeConfig; tools: BuildTools; probe: Probe; debug?: boolean; root?: string; run?: Capture; log?: (line: string) => void }): Promise<SdkCheck> {
  const paths = buildPaths(opts.config.node, opts);
  writeNodeManifest(opts.config, paths);
  return checkWithoutIdf({ manifest: paths.manifest, out: join(paths.dir, "check"), moddable: opts.tools.moddable, mcconfig: opts.tools.mcconfig, env: opts.probe.env, tscFrom: FIRMWARE_DIR, debug: opts.debug, run: opts.run, log: opts.log });
}

export async function buildFirmware(opts: { config: NodeConfig; probe: Probe; debug?: boolean; root?: string; run?: Runner; log?: (line: string) => void }): Promise<ImageInfo> {
  const { mcconfig, idfMissing } = checkBuildTools(opts.probe);
  if (idfMissing) throw idfMissing;
  const paths = buildPaths(opts.config.node, opts);
  writeNodeManifest(opts.config, paths);
  opts.log?.(`building ${opts.config.node} (firmware ${opts.config.firmware}) with mcconfig ${mcconfigArgs(paths, opts).slice(0, -3).join(" ")}`);
  const code = await (opts.run ?? runInherit)(mcconfig, mcconfigArgs(paths, opts), { cwd: paths.dir, env: opts.probe.env });
  if (code !== 0) throw new UserError(`the Moddable build of ${opts.config.node} failed (mcconfig exit code ${code})`, EXIT.toolMissing, "read mcconfig's output above; the first error is usually the one that matters");
  return recordImage(opts.config, paths);
}

/** Check the build's output and note the app image's size and hash next to it. */
export function recordImage(config: Pick<NodeConfig, "node" | "firmware">, paths: BuildPaths): ImageInfo {
  for (const { file } of FLASH_IMAGES) {
    if (!existsSync(join(paths.bin, file))) throw new UserError(`the build left no ${file} in ${paths.bin}`, EXIT.toolMissing, "run the build again and read mcconfig's output");
  }
  const image = readFileSync(join(paths.bin, "xs_esp32.bin"));
  if (image.byteLength > OTA_SLOT_SIZE) {
    throw new UserError(`the firmware image is ${image.byteLength} bytes, larger than an OTA slot (${OTA_SLOT_SIZE})`, EXIT.usage, "build without -d (debug builds are larger), or enlarge OTA_SLOT_SIZE in firmware/core/partitions.ts and flash over USB once");
  }
  const info: ImageInfo = { node: config.node, firmware: config.firmware, bytes: image.byteLength, sha256: sha256Hex(image) };
  writeFileSync(paths.imageInfo, JSON.stringify(info, null, 2) + "\n");
  return info;
}

/** The image.json beside an image file, if the build left one. */
export function readImageInfo(imageFile: string): ImageInfo | undefined {
  const file = join(dirname(imageFile), "image.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ImageInfo;
  } catch {
    return undefined;
  }
}
