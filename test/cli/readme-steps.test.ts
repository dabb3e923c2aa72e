// The README's systemd steps, run exactly as written by a new user: a fresh HOME, the repository
// folder as the working directory, systemctl and loginctl replaced by stubs that record the call.
import test from "ava";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

function block(marker: string): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README has no ${marker}`);
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  return m![1]!;
}

test("README: the --user systemd steps work as written in a fresh HOME", (t) => {
  const home = mkdtempSync(join(tmpdir(), "fb-newuser-"));
  const stubs = join(home, "stubs");
  mkdirSync(stubs);
  for (const tool of ["systemctl", "loginctl"]) {
    writeFileSync(join(stubs, tool), `#!/bin/sh\necho "${tool} $*" >> "$HOME/calls.log"\n`);
    chmodSync(join(stubs, tool), 0o755);
  }
  const steps = block("readme-systemd-user");
  const r = spawnSync("bash", ["-euo", "pipefail", "-c", steps], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, HOME: home, USER: "newuser", PATH: `${stubs}:${process.env.PATH}`, npm_config_offline: "true", XDG_CONFIG_HOME: "", XDG_STATE_HOME: "", FLOORBALANCE_CONFIG: "" },
  });
  t.is(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const env = join(home, ".config/floorbalance/floorbalance.env");
  t.is(statSync(join(home, ".config/floorbalance")).mode & 0o777, 0o700);
  t.is(statSync(env).mode & 0o777, 0o600);
  t.regex(readFileSync(env, "utf8"), /^FLOORBALANCE_DISCORD_WEBHOOK=https:\/\/discord\.com\/api\/webhooks\//m);
  t.true(existsSync(join(home, ".config/systemd/user/floorbalance.service")));
  t.true(existsSync(join(home, ".config/systemd/user/floorbalance.timer")));
  t.regex(readFileSync(join(home, ".config/systemd/user/floorbalance.service"), "utf8"), new RegExp(`--config ${home}/floorbalance/house\\.yaml`));
  t.deepEqual(readFileSync(join(home, "calls.log"), "utf8").trim().split("\n"), [
    "systemctl --user daemon-reload",
    "systemctl --user enable --now floorbalance.timer",
    "loginctl enable-linger newuser",
  ]);
});
