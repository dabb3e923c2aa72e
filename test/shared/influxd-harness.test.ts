import test from "ava";
import { spawnSync } from "node:child_process";

test("without influxd the harness names the install command (CI treats that as a failure)", (t) => {
  const script = `import("./test/helpers/influxd.ts").then(async (m) => { try { await m.startInfluxd(); console.log("started"); } catch (e) { console.log("ERR " + e.message); } })`;
  const r = spawnSync(process.execPath, ["--import=tsx", "-e", script], { encoding: "utf8", env: { ...process.env, PATH: "/nonexistent", CI: "true" } });
  t.regex(r.stdout, /ERR influxd is not on the PATH: install .*apt-get install -y influxdb/);
});
