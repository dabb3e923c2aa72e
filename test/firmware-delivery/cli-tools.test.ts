// `floorbalance firmware build|flash|ota` on a machine without the SDK, ESP-IDF, esptool or a
// board: each says exactly what to install, with its exit code and no stack trace. Then the
// same commands with stand-in tools on PATH: the per-node manifest, image.json, and esptool's
// arguments (which PlatformIO's upload asks the CLI for, so both flash the same way). Without
// ESP-IDF, build still runs the stages that need none (manifest, tsc, xsc, xsl, imports).
import test from "ava";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runCli } from "./helpers/cli.js";
import { UserError } from "../../shared/errors.js";
import { checkBuildTools } from "../../firmware/host/build.js";
import { flashNode } from "../../firmware/host/flash.js";
import { findSerialPort } from "../../firmware/host/toolchain.js";

const HOUSE = join(ROOT, "examples", "house.yaml");
const SECRETS = {
  FLOORBALANCE_WIFI_SSID: "homenet",
  FLOORBALANCE_WIFI_PASSWORD: "wifi-pw-31337",
  FLOORBALANCE_INFLUX_USERNAME: "influx-user-5150",
  FLOORBALANCE_INFLUX_PASSWORD: "influx-pw-424242",
  FLOORBALANCE_OTA_TOKEN: "ota-token-777777",
};

const cli = runCli;

function script(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

/** A stand-in mcconfig: notes its arguments, sets $out (-o) and $name (the manifest's folder), then runs `body`. */
function fakeMcconfig(bin: string, base: string, body: string): void {
  script(
    bin,
    "mcconfig",
    `out=""; last=""
echo "$@" > "${base}/mcconfig.args"
while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift;; *) last="$1";; esac; shift; done
name=$(basename "$(dirname "$last")")
${body}`,
  );
}

/** A machine with stand-ins for mcconfig, idf.py and esptool. */
function fakeToolchain() {
  const base = mkdtempSync(join(tmpdir(), "fb-tools-"));
  const bin = join(base, "bin");
  const moddable = join(base, "moddable");
  const idf = join(base, "esp-idf");
  for (const d of [bin, join(moddable, "build", "devices", "esp32"), join(idf, "tools")]) mkdirSync(d, { recursive: true });
  writeFileSync(join(idf, "tools", "idf.py"), "");
  fakeMcconfig(
    bin,
    base,
    `d="$out/bin/esp32/release/$name"; mkdir -p "$d"
for f in bootloader.bin partition-table.bin ota_data_initial.bin; do printf 'x' > "$d/$f"; done
printf '\\351fake-app-image' > "$d/xs_esp32.bin"`,
  );
  script(bin, "idf.py", "exit 0");
  script(bin, "esptool", `echo "$@" > "${base}/esptool.args"`);
  const port = join(base, "ttyUSB0");
  writeFileSync(port, "");
  const work = join(base, "work");
  mkdirSync(work);
  return { base, work, port, env: { PATH: `${bin}:/usr/bin:/bin`, MODDABLE: moddable, IDF_PATH: idf, ...SECRETS } };
}

const noStack = (t: import("ava").ExecutionContext, text: string) => t.notRegex(text, /\n\s+at [^\n]+:\d+:\d+/, "no stack trace");

test("build without $MODDABLE says to install the Moddable SDK 8.2.x", async (t) => {
  const r = await cli(["firmware", "build", "--node", "hkv-eg-sued", "--config", HOUSE], { PATH: "/usr/bin:/bin" });
  t.is(r.code, 8, r.stderr);
  t.regex(r.stderr, /\$MODDABLE is not set/);
  t.regex(r.stderr, /how to fix: install the Moddable SDK 8\.2\.x/);
  noStack(t, r.stderr);
});

test("build with the SDK but without ESP-IDF knows why ESP-IDF is missing (install v6.0, or load its environment)", (t) => {
  const { env } = fakeToolchain();
  const probe = (over: NodeJS.ProcessEnv) => ({ env: { ...env, ...over }, exists: existsSync });
  let err = checkBuildTools(probe({ IDF_PATH: "" })).idfMissing;
  t.true(err instanceof UserError);
  t.is(err!.exitCode, 8);
  t.regex(err!.message, /ESP-IDF is not set up/);
  t.regex(err!.hint!, /install ESP-IDF v6\.0/);
  t.is(checkBuildTools(probe({})).idfMissing, undefined);
  err = t.throws(() => checkBuildTools(probe({ PATH: "/usr/bin:/bin" })), { instanceOf: UserError });
  t.regex(err!.message, /mcconfig was not found/);
});

/**
 * Stand-ins for an SDK without ESP-IDF: mcconfig writes `makefile` (what the real one generates,
 * reduced to two modules) into its build folder; make runs it for real; xsl prints its count.
 */
function sdkWithoutIdf(mainRule: string) {
  const tools = fakeToolchain();
  const { base, work } = tools;
  const moddable = tools.env.MODDABLE;
  const bin = join(base, "bin");
  const build = join(work, ".floorbalance", "build", "hkv-eg-sued", "check", "tmp", "esp32", "release", "hkv-eg-sued");
  mkdirSync(join(moddable, "modules"), { recursive: true });
  writeFileSync(join(moddable, "modules", "timer.js"), "export default class Timer {}\n");
  writeFileSync(join(base, "main.ts"), "// the project's entry module\n");
  const makefile = [
    `TMP_DIR = ${build}`,
    `MODULES_DIR = ${build}/modules`,
    "MODULES =\\",
    "\t$(MODULES_DIR)/firmware/main.xsb\\",
    "\t$(MODULES_DIR)/timer.xsb\\",
    "",
    "PRELOADS =",
    "",
    "$(MODULES_DIR)/firmware/main.xsb: $(TMP_DIR)/tsc/firmware/main/main.js",
    "\tmkdir -p $(@D) && touch $@",
    "",
    `$(TMP_DIR)/tsc/firmware/main/main.js : ${base}/main.ts`,
    mainRule,
    "",
    `$(MODULES_DIR)/timer.xsb: ${moddable}/modules/timer.js`,
    "\tmkdir -p $(@D) && touch $@",
    "",
  ].join("\n");
  writeFileSync(join(base, "makefile.generated"), makefile);
  fakeMcconfig(
    bin,
    base,
    `d="$out/tmp/esp32/release/$name"; mkdir -p "$d"
cp "${base}/makefile.generated" "$d/makefile"`,
  );
  script(bin, "xsl", 'echo "### 2 instances, 10 keys"');
  const env: NodeJS.ProcessEnv = { ...tools.env, PATH: `${bin}:${process.env.PATH}` };
  delete env.IDF_PATH;
  return { ...tools, env };
}

/** The example house (German) with its language switched to English, written into `dir`. */
function englishHouse(dir: string): string {
  const text = readFileSync(HOUSE, "utf8");
  const en = text.replace(/^(\s+language:\s*)de\b/m, "$1en");
  if (en === text) throw new Error("the example house no longer says `language: de`");
  const file = join(dir, "house-en.yaml");
  writeFileSync(file, en);
  return file;
}

test("build without ESP-IDF runs the manifest, TypeScript, xsc and link stages, then says only the ESP-IDF step is missing", async (t) => {
  const { base, work, env } = sdkWithoutIdf(`\tmkdir -p $(@D) && printf 'import Timer from "timer";\\n' > $@`);
  const r = await cli(["firmware", "build", "--node", "hkv-eg-sued", "--config", englishHouse(work)], env, work);
  t.is(r.code, 8, r.stderr);
  t.regex(readFileSync(join(base, "mcconfig.args"), "utf8").trim(), /^-p esp32 -t build -o \S+\/check \S+manifest\.json$/, "no -m: makefile only");
  t.regex(r.stdout, /^moddable esp32 check: manifest ok, 2 modules compiled, xsl ok \(2 instances\), 1 imports resolved, 0 unresolved$/m);
  t.regex(r.stderr, /ESP-IDF is not set up: \$IDF_PATH is not set: running the build's stages that need no ESP-IDF/);
  t.regex(r.stderr, /only the ESP-IDF step is missing: ESP-IDF is not set up/);
  t.regex(r.stderr, /how to fix: install ESP-IDF v6\.0/);
  const manifest = readFileSync(join(work, ".floorbalance", "build", "hkv-eg-sued", "manifest.json"), "utf8");
  for (const secret of Object.values(SECRETS)) t.false((r.stdout + r.stderr + manifest).includes(secret), "the check needs no secrets");
  noStack(t, r.stderr);
});

test("build without ESP-IDF speaks the house file's language: German for a German house", async (t) => {
  const { work, env } = sdkWithoutIdf(`\tmkdir -p $(@D) && printf 'import Timer from "timer";\\n' > $@`);
  const r = await cli(["firmware", "build", "--node", "hkv-eg-sued", "--config", HOUSE], env, work);
  t.is(r.code, 8, r.stderr);
  t.regex(r.stderr, /es laufen die Schritte des Builds, die kein ESP-IDF brauchen/);
  t.regex(r.stderr, /nur der ESP-IDF-Schritt fehlt: ESP-IDF is not set up.*die Firmware von hkv-eg-sued wird für esp32 bis zum XS-Link übersetzt/);
  t.notRegex(r.stderr, /only the ESP-IDF step is missing|running the build's stages/);
  noStack(t, r.stderr);
});

test("build without ESP-IDF fails on a type error and on an import of a module the build lacks, with the error lines", async (t) => {
  const typeError = sdkWithoutIdf(`\t@echo "main.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'." && exit 1`);
  let r = await cli(["firmware", "build", "--node", "hkv-eg-sued", "--config", englishHouse(typeError.work)], typeError.env, typeError.work);
  t.is(r.code, 8, r.stderr);
  t.regex(r.stderr, /main\.ts\(3,5\): error TS2322/);
  t.regex(r.stdout, /^moddable esp32 check: FAILED: manifest ok, 1 of 2 modules FAILED to compile \(firmware\/main\), xsl not run/m);
  t.regex(r.stderr, /the firmware of hkv-eg-sued does not compile with the Moddable SDK \(manifest ok, 1 of 2 modules FAILED/);
  t.regex(r.stderr, /how to fix: fix the errors above; mcconfig's files are in /);
  t.notRegex(r.stderr, /only the ESP-IDF step is missing/);

  const missing = sdkWithoutIdf(`\tmkdir -p $(@D) && printf 'import WiFi from "wifi";\\nimport Timer from "timer";\\n' > $@`);
  r = await cli(["firmware", "build", "--node", "hkv-eg-sued", "--config", HOUSE], missing.env, missing.work);
  t.is(r.code, 8, r.stderr);
  t.regex(r.stderr, /firmware\/main: import "wifi" -> module "wifi" is not in the build/);
  t.regex(r.stdout, /FAILED: manifest ok, 2 modules compiled, xsl ok \(2 instances\), 1 imports resolved, 1 unresolved$/m);
  // The example house is German: so is the verdict and its fix.
  t.regex(r.stderr, /die Firmware von hkv-eg-sued lässt sich mit dem Moddable SDK nicht übersetzen/);
  t.regex(r.stderr, /how to fix: die Fehler oben beheben; die Dateien von mcconfig liegen in /);
  t.notRegex(r.stderr, /nur der ESP-IDF-Schritt fehlt/);
  noStack(t, r.stderr);
});

test("flash without esptool says to load ESP-IDF's environment", async (t) => {
  const r = await cli(["firmware", "flash", "--node", "hkv-eg-sued", "--config", HOUSE], { PATH: "/usr/bin:/bin" });
  t.is(r.code, 8, r.stderr);
  t.regex(r.stderr, /esptool was not found/);
  t.regex(r.stderr, /export\.sh/);
  noStack(t, r.stderr);
});

test("a missing, absent or ambiguous serial port says what to plug in or name", (t) => {
  const probe = { env: {}, exists: (p: string) => p === "/dev/ttyUSB0" };
  let err = t.throws(() => findSerialPort("/dev/ttyNOSUCH9", probe), { instanceOf: UserError });
  t.is(err!.exitCode, 8);
  t.regex(err!.message, /serial port \/dev\/ttyNOSUCH9 does not exist/);
  t.regex(err!.hint!, /USB data cable.*dialout/);
  err = t.throws(() => findSerialPort(undefined, probe, () => []), { instanceOf: UserError });
  t.regex(err!.message, /no serial port found/);
  err = t.throws(() => findSerialPort(undefined, probe, () => ["/dev/ttyUSB0", "/dev/ttyUSB1"]), { instanceOf: UserError });
  t.regex(err!.hint!, /--port/);
  t.is(findSerialPort(undefined, probe, () => ["/dev/ttyUSB0"]), "/dev/ttyUSB0");
});

test("ota without the token names the missing secret", async (t) => {
  const r = await cli(["firmware", "ota", "--node", "hkv-eg-sued", "--config", HOUSE], { PATH: "/usr/bin:/bin" });
  t.is(r.code, 7, r.stderr);
  t.regex(r.stderr, /ota_token is missing/);
  t.regex(r.stderr, /FLOORBALANCE_OTA_TOKEN/);
});

test("with the tools present: build writes a private per-node manifest and image.json; flash runs esptool with PlatformIO's arguments", async (t) => {
  const { base, work, port, env } = fakeToolchain();
  const built = await cli(["firmware", "build", "--node", "hkv-eg-sued", "--config", HOUSE], env, work);
  t.is(built.code, 0, built.stderr);
  t.regex(built.stdout, /built hkv-eg-sued firmware \S+: 15 bytes, sha256 [0-9a-f]{64}/);
  for (const secret of Object.values(SECRETS)) t.false((built.stdout + built.stderr).includes(secret), "no secret printed");
  t.regex(readFileSync(join(base, "mcconfig.args"), "utf8").trim(), /^-m -p esp32 -t build -o \S+ \S+manifest\.json$/);

  const dir = join(work, ".floorbalance", "build", "hkv-eg-sued");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  t.is(statSync(join(dir, "manifest.json")).mode & 0o077, 0, "readable by the owner only: it holds secrets");
  t.is(manifest.config.node, "hkv-eg-sued");
  t.is(manifest.config.ota_token, SECRETS.FLOORBALANCE_OTA_TOKEN);
  t.true(manifest.include[0].endsWith("firmware/manifest.json"));
  const info = JSON.parse(readFileSync(join(dir, "out", "bin", "esp32", "release", "hkv-eg-sued", "image.json"), "utf8"));
  t.is(info.node, "hkv-eg-sued");
  t.is(info.bytes, 15);

  const flashed = await cli(["firmware", "flash", "--node", "hkv-eg-sued", "--config", HOUSE, "--port", port], env, work);
  t.is(flashed.code, 0, flashed.stderr);
  const esptool = readFileSync(join(base, "esptool.args"), "utf8").trim();
  t.regex(esptool, /write_flash .*0x1000 \S+\/bootloader\.bin 0x8000 \S+\/partition-table\.bin 0xd000 \S+\/ota_data_initial\.bin 0x10000 \S+\/xs_esp32\.bin$/);
  const forPio = await cli(["firmware", "flash", "--node", "hkv-eg-sued", "--config", HOUSE, "--port", port, "--esptool-args"], env, work);
  t.is(forPio.code, 0, forPio.stderr);
  t.is((JSON.parse(forPio.stdout) as string[]).join(" "), esptool, "pio run -t upload and floorbalance firmware flash run esptool identically");
});

test("flash before build says to build first", async (t) => {
  const { work, port, env } = fakeToolchain();
  const err = await t.throwsAsync(flashNode({ node: "hkv-og-ost", port, probe: { env, exists: existsSync }, root: work }), { instanceOf: UserError });
  t.is(err!.exitCode, 2);
  t.regex(err!.message, /hkv-og-ost has not been built/);
  t.regex(err!.hint!, /floorbalance firmware build --node hkv-og-ost/);
});

test("config prints the node's configuration without secrets, and writes secrets only to a file", async (t) => {
  const plain = await cli(["firmware", "config", "--node", "hkv-eg-sued", "--config", HOUSE], { PATH: "/usr/bin:/bin", ...SECRETS });
  t.is(plain.code, 0, plain.stderr);
  const config = JSON.parse(plain.stdout);
  t.is(config.node, "hkv-eg-sued");
  for (const secret of Object.values(SECRETS)) t.false(plain.stdout.includes(secret));
  const refused = await cli(["firmware", "config", "--node", "hkv-eg-sued", "--config", HOUSE, "--with-secrets"], { PATH: "/usr/bin:/bin", ...SECRETS });
  t.is(refused.code, 2);
  t.regex(refused.stderr, /needs --out FILE/);
});
