import anyTest from "ava";
import { main } from "../../cli/main.js";
import { EXIT } from "../../shared/exit-codes.js";
import { useInfluxd } from "../helpers/influxd.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { test, influxd } = useInfluxd(anyTest);

test("floorbalance simulate --influx: a clear error without the database, batches written with --create-db", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-sim-influx-"));
  try {
    // The house file names the database; the secrets file beside it is empty (no auth here).
    const config = join(dir, "house.yaml");
    writeFileSync(config, readFileSync("examples/house.yaml", "utf8").replace("database: floorbalance", "database: simtest"));
    writeFileSync(join(dir, "secrets.yaml"), "{}\n");
    const args = ["node", "floorbalance", "simulate", "--config", config, "--days", "0.1", "--start", "2025-11-20", "--influx", influxd().url];
    t.is(await main(args), EXIT.influxNoDatabase);
    t.is(await main([...args, "--create-db"]), EXIT.ok);
    const rows = await influxd().query(`SELECT count("celsius") FROM "temperature"`, "simtest");
    const count = rows[0].series[0].values[0][1] as number;
    // 0.1 day = 864 samples per sensor, 31 sensors, less a few rejected reads; > 5 000 lines: several batches.
    t.true(count > 0.99 * 864 * 31 && count <= 864 * 31, `${count} readings stored`);
    const health = await influxd().query(`SELECT count("uptime_s") FROM "node_health"`, "simtest");
    t.is(health[0].series[0].values[0][1], 4 * 144);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
