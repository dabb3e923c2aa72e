// `floorbalance firmware …`: a node's configuration, the Moddable build, the first flash over
// USB, updates over the air, and platformio.ini. The work is in firmware/host/; this file only
// reads options, loads the house and the secrets, and prints.

import type { Command } from "commander";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import type { House, Node } from "../../shared/house/index.js";
import { loadSecrets, redact, requireSecret, type Secrets } from "../../shared/secrets.js";
import { configOption, loadHouse } from "../options.js";
import { langOf } from "../../commissioning/options.js";
import type { NodeConfig } from "../../firmware/core/config.js";
import { partitionsCsv } from "../../firmware/core/partitions.js";
import { buildFirmware, buildPaths, checkBuildTools, checkFirmware, readImageInfo, sha256Hex } from "../../firmware/host/build.js";
import { esptoolArgs, flashNode } from "../../firmware/host/flash.js";
import { confirmUpdate, getStatus, progressBar, uploadImage, type Target } from "../../firmware/host/ota-client.js";
import { firmwareFromInflux } from "../../firmware/host/node-health.js";
import { PLATFORMIO_INI, platformioPaths, renderPlatformioIni } from "../../firmware/host/platformio.js";
import { findSerialPort, realProbe } from "../../firmware/host/toolchain.js";


export function register(program: Command): void {
  const firmware = program.command("firmware").description("build, flash and update the ESP32 nodes (Moddable SDK + ESP-IDF)");

  configOption(firmware.command("config").description("print a node's firmware configuration (JSON, as the build's mc/config sees it)"))
    .requiredOption("-n, --node <id>", "node id from the house file")
    .option("--with-secrets", "include the secrets (only together with --out)")
    .option("-o, --out <file>", "write to a file (created readable by you only)")
    .action(async (opts: { config?: string; node: string; withSecrets?: boolean; out?: string }) => {
      if (opts.withSecrets && !opts.out) throw new UserError("--with-secrets writes secrets, so it needs --out FILE (never the terminal)", EXIT.usage, `floorbalance firmware config --node ${opts.node} --with-secrets --out node.json`);
      const { house, file } = loadHouse(opts);
      const config = await nodeConfig(house, opts.node, opts.withSecrets ? loadSecrets(file) : undefined);
      const text = JSON.stringify(config, null, 2) + "\n";
      if (opts.out) writeFileSync(opts.out, text, { mode: 0o600 });
      else process.stdout.write(text);
    });

  configOption(firmware.command("build").description("build a node's firmware with mcconfig (needs $MODDABLE and ESP-IDF; without ESP-IDF it checks everything up to the XS link)"))
    .requiredOption("-n, --node <id>", "node id from the house file")
    .option("--debug", "debug build (xsbug over serial; larger, slower)")
    .action(async (opts: { config?: string; node: string; debug?: boolean }) => {
      const { house, file } = loadHouse(opts);
      nodeOf(house, opts.node);
      const probe = realProbe();
      const tools = checkBuildTools(probe); // before secrets: a missing SDK is the likelier first problem
      const log = (l: string) => process.stderr.write(l + "\n");
      if (tools.idfMissing) {
        const say = withoutIdfWords(langOf(house) === "de", opts.node);
        log(say.checking(tools.idfMissing.message));
        const check = await checkFirmware({ config: await nodeConfig(house, opts.node, undefined), tools, probe, debug: opts.debug, log });
        for (const line of check.errors) log(line);
        process.stdout.write(check.summary + "\n");
        if (!check.ok) throw new UserError(say.failed(check.summary.replace(/^moddable esp32 check: FAILED: /, "")), EXIT.toolMissing, say.fixErrors(check.out));
        throw new UserError(say.onlyIdf(tools.idfMissing.message), EXIT.toolMissing, tools.idfMissing.hint);
      }
      const config = await nodeConfig(house, opts.node, loadSecrets(file));
      const info = await buildFirmware({ config, probe, debug: opts.debug, log });
      process.stdout.write(`built ${info.node} firmware ${info.firmware}: ${info.bytes} bytes, sha256 ${info.sha256}\n  ${buildPaths(info.node, opts).bin}\n`);
    });

  configOption(firmware.command("flash").description("first flash of a node over USB (esptool)"))
    .requiredOption("-n, --node <id>", "node id from the house file")
    .option("-p, --port <device>", "serial port (default: the only /dev/ttyUSB* or /dev/ttyACM*)")
    .option("--debug", "flash the debug build")
    .option("--esptool-args", "print esptool's arguments as JSON and exit (used by platformio's upload)")
    .action(async (opts: { config?: string; node: string; port?: string; debug?: boolean; esptoolArgs?: boolean }) => {
      const { house } = loadHouse(opts, true);
      nodeOf(house, opts.node);
      if (opts.esptoolArgs) {
        const port = opts.port ?? findSerialPort(undefined, realProbe());
        process.stdout.write(JSON.stringify(esptoolArgs(port, buildPaths(opts.node, opts).bin)) + "\n");
        return;
      }
      await flashNode({ node: opts.node, port: opts.port, probe: realProbe(), debug: opts.debug, log: (l) => process.stderr.write(l + "\n") });
      process.stdout.write(`flashed ${opts.node}. Open http://<its address>/status to watch its sensors; later updates: floorbalance firmware ota --node ${opts.node}\n`);
    });

  configOption(firmware.command("ota").description("update a node over the air (PUT /ota), then confirm the new version"))
    .option("-n, --node <id>", "node id from the house file")
    .option("--all", "update every node, one after another, stopping at the first failure")
    .option("-i, --image <file>", "the app image (default: the node's last build, xs_esp32.bin)")
    .option("--host <host[:port]>", "the node's address (default: its hostname from the house file, port 80)")
    .option("--confirm-timeout <s>", "how long to wait for the node to restart and pass its health check", "360")
    .action(async (opts: { config?: string; node?: string; all?: boolean; image?: string; host?: string; confirmTimeout: string }) => {
      const { house, file } = loadHouse(opts);
      if (!!opts.all === !!opts.node) throw new UserError("name one node with --node ID, or use --all", EXIT.usage);
      if (opts.all && (opts.image || opts.host)) throw new UserError("--image and --host name one node's image and address; use them with --node", EXIT.usage);
      const timeoutS = Number(opts.confirmTimeout);
      if (!(timeoutS > 0)) throw new UserError(`--confirm-timeout must be a number of seconds, not "${opts.confirmTimeout}"`, EXIT.usage);
      const secrets = loadSecrets(file);
      const token = requireSecret(secrets, "ota_token", "to upload firmware over the air");
      const nodes = opts.all ? house.nodes : [nodeOf(house, opts.node!)];
      for (const [i, node] of nodes.entries()) {
        if (nodes.length > 1) process.stderr.write(`\n[${i + 1}/${nodes.length}] ${node.id}\n`);
        try {
          await otaOne(house, node, { token, secrets, image: opts.image, host: opts.host, timeoutS });
        } catch (err) {
          if (nodes.length > 1 && err instanceof UserError && i + 1 < nodes.length) {
            throw new UserError(`${err.message}; stopped before ${nodes.slice(i + 1).map((n) => n.id).join(", ")}`, err.exitCode, err.hint);
          }
          throw err;
        }
      }
    });

  configOption(firmware.command("platformio").description("write platformio.ini (one environment per node) and firmware/partitions.csv"))
    .option("--check", "do not write; exit non-zero when the files are stale")
    .option("-o, --out <file>", `where to write platformio.ini (default: ${PLATFORMIO_INI} in the package folder)`)
    .action((opts: { config?: string; check?: boolean; out?: string }) => {
      const { house, file } = loadHouse(opts, true);
      // Paths against the package, not the working directory (the command may run anywhere).
      const paths = platformioPaths(file, opts.out);
      const wanted = [
        { path: paths.ini, text: renderPlatformioIni(house, paths.houseInIni) },
        { path: paths.partitions, text: partitionsCsv() },
      ];
      if (opts.check) {
        const stale = wanted.filter((w) => !existsSync(w.path) || readFileSync(w.path, "utf8") !== w.text).map((w) => w.path);
        if (stale.length) throw new UserError(`${stale.join(" and ")} ${stale.length === 1 ? "is" : "are"} not what ${file} generates`, EXIT.usage, `floorbalance firmware platformio --config ${file}`);
        process.stdout.write(`${wanted.map((w) => w.path).join(" and ")} match ${file}\n`);
        return;
      }
      for (const w of wanted) writeFileSync(w.path, w.text);
      process.stdout.write(`wrote ${wanted.map((w) => w.path).join(" and ")} (${house.nodes.length} nodes)\n`);
    });
}

/**
 * `firmware build` without ESP-IDF, in the house file's language. The SDK's own lines (the check's
 * summary, the compiler's errors, the toolchain's reason and hint) stay as the tools wrote them.
 */
function withoutIdfWords(de: boolean, node: string) {
  return {
    checking: (why: string) =>
      de
        ? `${why}: es laufen die Schritte des Builds, die kein ESP-IDF brauchen (Manifest, TypeScript, xsc, XS-Link, Importe)`
        : `${why}: running the build's stages that need no ESP-IDF (manifest, TypeScript, xsc, XS link, imports)`,
    failed: (what: string) => (de ? `die Firmware von ${node} lässt sich mit dem Moddable SDK nicht übersetzen (${what})` : `the firmware of ${node} does not compile with the Moddable SDK (${what})`),
    fixErrors: (out: string) => (de ? `die Fehler oben beheben; die Dateien von mcconfig liegen in ${out}` : `fix the errors above; mcconfig's files are in ${out}`),
    onlyIdf: (why: string) =>
      de
        ? `nur der ESP-IDF-Schritt fehlt: ${why}; die Firmware von ${node} wird für esp32 bis zum XS-Link übersetzt und gelinkt, aber es wurde kein Image gebaut`
        : `only the ESP-IDF step is missing: ${why}; the firmware of ${node} compiles and links for esp32 up to the XS link, but no image was built`,
  };
}

function nodeOf(house: House, id: string): Node {
  const node = house.nodes.find((n) => n.id === id);
  if (!node) throw new UserError(`no node "${id}" in the house file`, EXIT.usage, `nodes: ${house.nodes.map((n) => n.id).join(", ")}`);
  return node;
}

/** FWCORE's deriveNodeConfig/withSecrets, loaded when needed so the rest of the CLI never depends on them. */
async function nodeConfig(house: House, nodeId: string, secrets: Secrets | undefined): Promise<NodeConfig> {
  nodeOf(house, nodeId);
  const { deriveNodeConfig, withSecrets } = await import("../../firmware/host/config.js");
  const config = deriveNodeConfig(house, nodeId);
  return secrets ? withSecrets(config, secrets) : config;
}

function parseHost(text: string): Target {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m) throw new UserError(`--host "${text}" is not host or host:port`, EXIT.usage);
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 80 };
}

async function otaOne(house: House, node: Node, o: { token: string; secrets: Secrets; image?: string; host?: string; timeoutS: number }): Promise<void> {
  const imageFile = o.image ?? `${buildPaths(node.id).bin}/xs_esp32.bin`;
  if (!existsSync(imageFile)) throw new UserError(`no image to upload: ${imageFile} does not exist`, EXIT.usage, `floorbalance firmware build --node ${node.id}`);
  const image = new Uint8Array(readFileSync(imageFile));
  const info = readImageInfo(imageFile);
  if (info && info.node !== node.id) {
    throw new UserError(`${imageFile} was built for node ${info.node}, not ${node.id}; each image carries its node's sensors and id`, EXIT.usage, `floorbalance firmware build --node ${node.id}`);
  }
  const sha256 = sha256Hex(image);
  if (info && info.sha256 !== sha256) throw new UserError(`${imageFile} changed since it was built (its SHA-256 differs from image.json)`, EXIT.usage, `floorbalance firmware build --node ${node.id}`);
  const target = o.host ? parseHost(o.host) : { host: node.hostname, port: 80 };
  const where = `${target.host}:${target.port}`;

  // Look before pushing: the right node, reachable, not busy. (A DHCP lease that moved must
  // never put one node's image, with its sensors and id, onto another.)
  let previous: string | undefined;
  try {
    const doc = await getStatus(target);
    if (doc.node !== node.id) throw new UserError(`${where} is node ${doc.node}, not ${node.id}; nothing was uploaded`, EXIT.deviceFailed, "check the address (--host) or the hostname in the house file");
    if (doc.ota?.busy) throw new UserError(`${node.id} is receiving another update; nothing was uploaded`, EXIT.deviceFailed, "wait for it to finish, then run the command again");
    if (doc.image?.state === "pending_verify") throw new UserError(`${node.id} runs a new image that has not passed its health check yet (waiting for ${doc.image.waiting_for.join(", ") || "…"}); nothing was uploaded`, EXIT.deviceFailed, "wait until /status shows image.state valid (at most a few minutes), then run the command again");
    previous = doc.firmware;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot reach ${node.id} at ${where} (GET /status: ${(err as Error).message})`, EXIT.deviceFailed, "is it powered and on Wi-Fi? give its address with --host, or flash it over USB: floorbalance firmware flash");
  }

  process.stderr.write(`uploading ${image.byteLength} bytes to ${node.id} (${where}), running ${previous}${info ? `, new ${info.firmware}` : ""}\n`);
  const tty = process.stderr.isTTY;
  const result = await uploadImage(target, image, {
    token: o.token,
    sha256,
    version: info?.firmware,
    onProgress: tty ? (sent, total) => process.stderr.write(`\r${progressBar(sent, total)}`) : undefined,
  });
  if (tty) process.stderr.write("\n");
  if (!result.ok) {
    throw new UserError(`${node.id}: update refused or failed (${result.status || "no answer"} ${result.reason}): ${redact(result.message, o.secrets)}; it still runs ${previous}`, EXIT.deviceFailed, hintFor(result.reason));
  }
  process.stderr.write(`${node.id}: image accepted and verified; waiting for the restart\n`);
  const installedAt = Date.now();
  const confirmation = await confirmUpdate(target, {
    expected: info?.firmware,
    previous: info && info.firmware !== previous ? previous : undefined,
    installedAt,
    timeoutMs: o.timeoutS * 1000,
    fromInflux: () => firmwareFromInflux(house, node.id, o.secrets, installedAt / 1000),
    onWait: tty ? (what) => process.stderr.write(`\r${what}`.padEnd(78)) : undefined,
  });
  if (tty) process.stderr.write("\n");
  if (!confirmation.ok) throw new UserError(`${node.id}: ${confirmation.message}`, EXIT.deviceFailed, "the node keeps or returns to a working image by itself; read its serial log (or /status) before trying again");
  process.stdout.write(`${node.id}: updated ${previous} → ${confirmation.firmware} (confirmed via ${confirmation.via === "status" ? "/status" : "node_health in InfluxDB"})\n`);
}

function hintFor(reason: string): string {
  switch (reason) {
    case "unauthorized":
      return "the ota_token in your secrets differs from the one this node was built with; flash it once over USB with the current secrets";
    case "disabled":
      return "this node was built without an ota_token; set one in secrets.yaml and flash it once over USB";
    case "rate_limited":
      return "too many refused attempts; wait a minute before trying again";
    case "busy":
      return "another upload is running; wait for it to finish";
    case "not_confirmed":
      return "the node's current image is still on probation; wait until /status shows image.state valid";
    case "too_large":
      return "the image does not fit an OTA slot; see firmware/core/partitions.ts";
    case "hash_mismatch":
    case "truncated":
    case "dropped":
    case "timeout":
    case "stalled":
      return "nothing was installed and the old image keeps running; check Wi-Fi and run the command again (the upload restarts from the beginning)";
    case "unreachable":
      return "is the node powered and on Wi-Fi? give its address with --host";
    default:
      return "the old image keeps running; read the node's serial log for details";
  }
}
