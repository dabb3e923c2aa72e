import test from "ava";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/main.js";
import { parseFlags } from "../../cli/commands/simulate.js";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { parseLine } from "../../shared/line-protocol.js";

test("bad simulate flags are UserErrors that say how to fix them", (t) => {
  for (const flags of [{ days: "x" }, { days: "-1" }, { days: "1", seed: "1.5" }, { days: "1", start: "yesterday" }, { days: "1", out: "a", influx: "http://127.0.0.1:8086" }, { days: "1", influx: "127.0.0.1" }, { days: "1", createDb: true }]) {
    const err = t.throws(() => parseFlags(flags), { instanceOf: UserError }, JSON.stringify(flags));
    t.is(err!.exitCode, EXIT.usage);
  }
  const ok = parseFlags({ days: "2", start: "2025-11-20" });
  t.is(ok.start, Date.UTC(2025, 10, 20) / 1000);
  t.is(parseFlags({ days: "1" }, Date.UTC(2025, 10, 20, 13) / 1000).start, Date.UTC(2025, 10, 19) / 1000, "default: midnight UTC, days ago");
});

test("floorbalance simulate --out writes valid line protocol; a bad flag exits with the usage code", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-sim-cli-"));
  try {
    const out = join(dir, "sim.lp");
    const code = await main(["node", "floorbalance", "simulate", "--config", "examples/house.yaml", "--days", "0.05", "--start", "2025-11-20", "--seed", "3", "--out", out, "--truth"]);
    t.is(code, EXIT.ok);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    const kinds = new Set(lines.map((l) => parseLine(l).measurement));
    t.deepEqual([...kinds].sort(), ["node_health", "sim_truth", "temperature"]);
    t.is(await main(["node", "floorbalance", "simulate", "--config", "examples/house.yaml", "--days", "zero"]), EXIT.usage);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
