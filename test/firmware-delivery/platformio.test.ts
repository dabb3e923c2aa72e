// platformio.ini: parses, has one USB environment (and its OTA twin) per node of the house
// file, and the committed file is exactly what `floorbalance firmware platformio` generates.
import test from "ava";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runCli } from "./helpers/cli.js";
import { loadHouseFile } from "../../shared/house/load.js";
import { parseIni, renderPlatformioIni } from "../../firmware/host/platformio.js";

const { house } = loadHouseFile(join(ROOT, "examples", "house.yaml"));
const committed = readFileSync(join(ROOT, "platformio.ini"), "utf8");

test("the committed platformio.ini parses and has one environment per node, plus its OTA twin", (t) => {
  const ini = parseIni(committed);
  const envs = [...ini.keys()].filter((k) => k.startsWith("env:")).map((k) => k.slice(4));
  const nodes = house.nodes.map((n) => n.id);
  t.deepEqual(envs.filter((e) => !e.endsWith("-ota")), nodes);
  t.deepEqual(envs.filter((e) => e.endsWith("-ota")), nodes.map((n) => `${n}-ota`));
  t.is(ini.get("platformio")!.get("default_envs"), nodes.join(", "));
  const common = ini.get("env")!;
  t.is(common.get("upload_protocol"), "esptool", "USB uploads use PlatformIO's esptool");
  t.is(common.get("board_build.partitions"), "firmware/partitions.csv");
  const script = common.get("extra_scripts")!.replace(/^pre:/, "");
  t.true(existsSync(join(ROOT, script)), "the extra script that wraps the Moddable build exists");
  for (const node of nodes) {
    t.is(ini.get(`env:${node}`)!.get("custom_node"), node);
    const ota = ini.get(`env:${node}-ota`)!;
    t.is(ota.get("extends"), `env:${node}`);
    t.is(ota.get("upload_protocol"), "custom");
    t.regex(ota.get("upload_command")!, new RegExp(`^node bin/floorbalance\\.js firmware ota --node ${node} `));
  }
});

test("the committed platformio.ini is what the house file generates", (t) => {
  t.is(committed, renderPlatformioIni(house, "examples/house.yaml"));
});

test("a house with other nodes generates other environments", (t) => {
  const other = { ...house, nodes: [{ ...house.nodes[0]!, id: "keller" }] };
  const ini = parseIni(renderPlatformioIni(other, "haus.yaml"));
  t.deepEqual([...ini.keys()].filter((k) => k.startsWith("env:")), ["env:keller", "env:keller-ota"]);
  t.is(ini.get("env")!.get("custom_house"), "haus.yaml");
});

test("the INI reader rejects what PlatformIO would", (t) => {
  t.throws(() => parseIni("[env]\nno equals sign"), { message: /line 2/ });
  t.throws(() => parseIni("[a]\nx=1\n[a]\n"), { message: /twice/ });
  t.throws(() => parseIni("x = 1"), { message: /inside a section/ });
});

const cli = (args: string[]) => runCli(args, { PATH: process.env.PATH });

test("`firmware platformio --check` passes on the committed file and fails on a stale one", async (t) => {
  const ok = await cli(["firmware", "platformio", "--config", "examples/house.yaml", "--check"]);
  t.is(ok.code, 0, ok.stderr);
  const stale = join(mkdtempSync(join(tmpdir(), "fb-pio-")), "platformio.ini");
  writeFileSync(stale, committed.replace("[env:hkv-og-ost]", "[env:hkv-og-old]"));
  const r = await cli(["firmware", "platformio", "--config", "examples/house.yaml", "--check", "--out", stale]);
  t.is(r.code, 2);
  t.regex(r.stderr, /not what examples\/house\.yaml generates/);
  t.regex(r.stderr, /how to fix: floorbalance firmware platformio --config examples\/house\.yaml/);
  t.is(readFileSync(stale, "utf8"), committed.replace("[env:hkv-og-ost]", "[env:hkv-og-old]"), "--check writes nothing");
});

test("`firmware platformio` outside the repository folder: paths resolve against the package, --check sees the committed files", (t) => {
  const elsewhere = mkdtempSync(join(tmpdir(), "fb-pio-cwd-"));
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/floorbalance.js"), "firmware", "platformio", ...args], { cwd: elsewhere, encoding: "utf8" });
  const check = run(join(ROOT, "examples/house.yaml"), "--check");
  t.is(check.status, 0, check.stderr);
  t.regex(check.stdout, /platformio\.ini and .*firmware\/partitions\.csv match/);
  // Written elsewhere with --out, the ini still names the house file as PlatformIO (at the package root) finds it.
  const out = run("--config", join(ROOT, "examples/house.yaml"), "--out", "mine.ini");
  t.is(out.status, 0, out.stderr);
  t.is(readFileSync(join(elsewhere, "mine.ini"), "utf8"), readFileSync(join(ROOT, "platformio.ini"), "utf8"));
});
