// Credentials in the InfluxDB URL are refused (they would be copied into generated files); the
// Grafana data source references Grafana's environment instead of holding a secret.
import test from "ava";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../report/cli.js";

const root = new URL("../../", import.meta.url).pathname;
const example = readFileSync(join(root, "examples/house.yaml"), "utf8");

function house(url: string) {
  const dir = mkdtempSync(join(tmpdir(), "fb-url-"));
  const file = join(dir, "house.yaml");
  writeFileSync(file, example.replace(/^(\s+url:\s*).*$/m, `$1${url}`));
  return { dir, file };
}

test.serial("an InfluxDB URL with user:pass@ is refused, pointing to secrets.yaml, and grafana writes nothing", async (t) => {
  const { dir, file } = house("http://admin:hunter2@influx.local:8086");
  const check = await runCli(["check", "-c", file]);
  t.is(check.code, 2);
  t.regex(check.stderr, /influx\.url: carries a user name or password; .*secrets\.yaml/);
  t.false(check.stderr.includes("hunter2"), "the message names the key, not the password");
  const g = await runCli(["grafana", "-c", file, "--out", join(dir, "g")]);
  t.is(g.code, 2);
  t.false(existsSync(join(dir, "g", "provisioning", "datasources", "floorbalance.yaml")));
});

test.serial("the Grafana data source holds no secret: credentials are Grafana environment references", async (t) => {
  const { dir, file } = house("http://influx.local:8086");
  writeFileSync(join(dir, "secrets.yaml"), "influx_username: grafana-reader\ninflux_password: hunter2-long\n");
  const g = await runCli(["grafana", "-c", file, "--out", join(dir, "g")], { FLOORBALANCE_INFLUX_PASSWORD: undefined, FLOORBALANCE_INFLUX_USERNAME: undefined, FLOORBALANCE_SECRETS: undefined });
  t.is(g.code, 0, g.stderr);
  const ds = join(dir, "g", "provisioning", "datasources", "floorbalance.yaml");
  const text = readFileSync(ds, "utf8");
  t.regex(text, /^    user: \$\{FLOORBALANCE_INFLUX_USERNAME\}$/m);
  t.regex(text, /^      password: \$\{FLOORBALANCE_INFLUX_PASSWORD\}$/m);
  t.false(text.includes("hunter2-long"));
  t.false(text.includes("grafana-reader"));
  t.is(statSync(ds).mode & 0o777, 0o644);
});
