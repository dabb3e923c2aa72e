import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { runCli } from "./cli.js";
import { onCalendar, quoteArg } from "../../analyser/delivery/systemd-units.js";

const root = new URL("../../", import.meta.url).pathname;

async function install(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "fb-units-"));
  // A temp HOME: --user creates ~/.config/floorbalance/floorbalance.env.
  const r = await runCli(["systemd", "install", "--dir", dir, "-c", join(root, "examples/house.yaml"), ...args], { HOME: mkdtempSync(join(tmpdir(), "fb-home-")) });
  return { dir, status: r.code, stdout: r.stdout, stderr: r.stderr };
}

function verify(dir: string, user: boolean) {
  const runtime = mkdtempSync(join(tmpdir(), "fb-xdg-"));
  return spawnSync("systemd-analyze", [...(user ? ["--user"] : []), "verify", join(dir, "floorbalance.service"), join(dir, "floorbalance.timer")], {
    encoding: "utf8",
    cwd: dir,
    env: { ...process.env, XDG_RUNTIME_DIR: runtime },
  });
}

for (const user of [false, true]) {
  test.serial(`systemd install${user ? " --user" : ""}: units pass systemd-analyze verify without a single warning`, async (t) => {
    const r = await install(user ? ["--user"] : []);
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`systemctl ${user ? "--user " : ""}enable --now floorbalance.timer`));
    const service = readFileSync(join(r.dir, "floorbalance.service"), "utf8");
    const timer = readFileSync(join(r.dir, "floorbalance.timer"), "utf8");
    t.regex(service, /^Type=oneshot$/m);
    t.regex(service, /^EnvironmentFile=-\S+floorbalance\.env$/m);
    t.regex(service, /^ExecStart=\S+node\S* \S+bin\/floorbalance\.js analyse --config \S+examples\/house\.yaml$/m);
    t.notRegex(service, /webhook[^\n]*https?:/i);
    t.regex(timer, /^OnCalendar=\*-\*-\* 06:30:00 Europe\/Berlin$/m);
    t.regex(timer, /^Persistent=true$/m);
    const v = verify(r.dir, user);
    t.is(v.stderr, "", "systemd-analyze must not warn");
    t.is(v.status, 0);
  });
}

test.serial("the verify step itself catches a bad key (the check can fail)", async (t) => {
  const r = await install([]);
  const timer = join(r.dir, "floorbalance.timer");
  writeFileSync(timer, readFileSync(timer, "utf8").replace("[Timer]", "[Timer]\nOnCalender=daily"));
  t.regex(verify(r.dir, false).stderr, /Unknown key 'OnCalender'/);
});

test("the schedule is read in the site's zone, and paths with spaces are quoted", (t) => {
  t.is(onCalendar("*-*-* 06:30:00", "Europe/Berlin"), "*-*-* 06:30:00 Europe/Berlin");
  t.is(onCalendar("Mon *-*-* 05:00 UTC", "Europe/Berlin"), "Mon *-*-* 05:00 UTC");
  t.is(onCalendar("daily", "America/New_York"), "daily America/New_York");
  const cal = spawnSync("systemd-analyze", ["calendar", onCalendar("*-*-* 06:30:00", "Europe/Berlin")], { encoding: "utf8" });
  t.is(cal.status, 0, cal.stderr);
  t.is(quoteArg("/home/a b/house.yaml"), '"/home/a b/house.yaml"');
  t.is(quoteArg("/x/100%"), "/x/100%%");
});

test.serial("a house file with a custom schedule gives that timer", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-house-"));
  mkdirSync(join(dir, "u"));
  const doc = parse(readFileSync(join(root, "examples/house.yaml"), "utf8"));
  doc.analysis = { ...doc.analysis, schedule: "*-*-* 07:15:00" };
  const houseFile = join(dir, "house with space.yaml");
  writeFileSync(houseFile, stringify(doc));
  const r = await runCli(["systemd", "install", "--dir", join(dir, "u"), "-c", houseFile]);
  t.is(r.code, 0, r.stderr);
  t.regex(readFileSync(join(dir, "u/floorbalance.timer"), "utf8"), /^OnCalendar=\*-\*-\* 07:15:00 Europe\/Berlin$/m);
  t.regex(readFileSync(join(dir, "u/floorbalance.service"), "utf8"), /--config "[^"]+house with space\.yaml"$/m);
  const v = verify(join(dir, "u"), false);
  t.is(v.stderr, "");
});

test.serial("the system service never runs as root: DynamicUser= (or --run-as) with its state under StateDirectory=", async (t) => {
  const r = await install([]);
  const service = readFileSync(join(r.dir, "floorbalance.service"), "utf8");
  t.regex(service, /^DynamicUser=yes$/m);
  t.regex(service, /^StateDirectory=floorbalance$/m);
  t.regex(service, /^Environment=XDG_STATE_HOME=%S$/m);
  t.notRegex(service, /^User=/m);
  const named = await install(["--run-as", "floorbalance"]);
  const namedService = readFileSync(join(named.dir, "floorbalance.service"), "utf8");
  t.regex(namedService, /^User=floorbalance$/m);
  t.notRegex(namedService, /^DynamicUser=/m);
  t.regex(namedService, /^StateDirectory=floorbalance$/m);
  const v = verify(r.dir, false);
  t.is(v.stderr, "");
});
