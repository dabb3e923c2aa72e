import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import { loadHouseFile } from "../../shared/house/load.js";
import { parseHouseText } from "../../shared/house/index.js";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { deriveNodeConfig, withSecrets } from "../../firmware/host/config.js";

const { house } = loadHouseFile("examples/house.yaml");

test("deriveNodeConfig: buses, pins, the node's ROMs with their roles, interval, resolution, InfluxDB target", (t) => {
  const c = deriveNodeConfig(house, "hkv-eg-sued");
  t.is(c.node, "hkv-eg-sued");
  t.is(c.interval_s, 10);
  t.is(c.resolution, 12);
  t.deepEqual(c.buses.map((b) => [b.id, b.pin]), [["0", 16], ["1", 17]]);
  const sensors = c.buses.flatMap((b) => b.sensors);
  t.is(sensors.length, 10);
  t.true(sensors.some((s) => s.rom === "28-0316a2795f77" && s.label === "eg-sued supply"));
  t.true(sensors.some((s) => s.rom === "28-0316a279df07" && s.label === "eg-sued/wohnen-1"));
  t.deepEqual(c.influx, { host: "127.0.0.1", port: 8086, database: "floorbalance", retention_policy: "autogen", precision: "s" });
  t.is(c.wifi_password, undefined, "no secrets without withSecrets");
  const err = t.throws(() => deriveNodeConfig(house, "nope"), { instanceOf: UserError });
  t.regex(err!.hint ?? "", /hkv-eg-nord/);
});

test("withSecrets merges all five secrets, and a missing one stops with exit 7 naming it", (t) => {
  const c = deriveNodeConfig(house, "hkv-og-ost");
  const all = { wifi_ssid: "net", wifi_password: "pw", influx_username: "u", influx_password: "p", ota_token: "tok" };
  const merged = withSecrets(c, all);
  t.is(merged.wifi_ssid, "net");
  t.is(merged.ota_token, "tok");
  const { ota_token: _, ...missing } = all;
  const err = t.throws(() => withSecrets(c, missing), { instanceOf: UserError });
  t.is(err!.exitCode, EXIT.missingSecret);
  t.regex(err!.message, /ota_token/);
  t.regex(err!.hint ?? "", /FLOORBALANCE_OTA_TOKEN/);
});

test("the core imports neither Node nor Moddable modules", (t) => {
  for (const f of readdirSync("firmware/core").filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(`firmware/core/${f}`, "utf8");
    for (const m of text.matchAll(/from "([^"]+)"/g)) t.true(m[1].startsWith("."), `${f} imports ${m[1]}`);
  }
});

test("BLE scanning only on the nodes whose manifolds heat a room with a BLE thermometer (the radio is shared with Wi-Fi)", (t) => {
  t.false(house.nodes.some((n) => deriveNodeConfig(house, n.id).ble_scan), "the example names no thermometer: no node scans");
  const text = readFileSync("examples/house.yaml", "utf8") + "\nrooms:\n  - name: Bad\n    target_c: 23\n    ble: { mac: A4:C1:38:12:34:56 }\n";
  const withBle = parseHouseText(text, "house.yaml").house;
  const bath = withBle.circuits.find((c) => c.room === "Bad")!;
  const serving = withBle.manifolds.find((m) => m.id === bath.manifold)!.node;
  for (const n of withBle.nodes) t.is(deriveNodeConfig(withBle, n.id).ble_scan ?? false, n.id === serving, n.id);
});
