// floorbalance verify: checks the sensor mapping against the physics of heating starts and
// reports likely mistakes with their evidence. Exit code EXIT.verifyFindings when it finds some.
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { influxSource, readMinutes } from "../../commissioning/influx.js";
import { langOf, nowFrom, nowOption } from "../../commissioning/options.js";
import { renderVerify } from "../../commissioning/render.js";
import { parseDuration, toMinutes, tracesFromLineProtocol } from "../../commissioning/series.js";
import { verifyMapping } from "../../commissioning/verify.js";
import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { loadSecrets } from "../../shared/secrets.js";
import { configOption, configPath, loadHouse } from "../options.js";

export function register(program: Command): void {
  configOption(
    program
      .command("verify")
      .description("check the sensor mapping with the physics of heating starts; exit code 10 when it finds likely mistakes")
      .option("--since <duration>", "read this far back from InfluxDB (it needs at least one heating start)", "2d")
      .option("--file <file>", "read line protocol from this file (e.g. from floorbalance simulate) instead of InfluxDB")
      .option("--json", "print the result as JSON")
      .addOption(nowOption()),
  ).action(async (opts) => {
    const { house } = loadHouse(opts);
    let data;
    if (opts.file) {
      let text: string;
      try {
        text = readFileSync(opts.file, "utf8");
      } catch (err) {
        throw new UserError(`cannot read ${opts.file} (${(err as NodeJS.ErrnoException).code ?? "error"})`, EXIT.usage, "give a line-protocol file, e.g. from floorbalance simulate --out FILE");
      }
      data = toMinutes(tracesFromLineProtocol(text, opts.file));
    } else {
      const now = nowFrom(opts);
      data = await readMinutes(influxSource(house, loadSecrets(configPath(opts))), { start: now - parseDuration(opts.since, "--since"), end: now });
    }
    if (data.byRom.size === 0) throw new UserError("no temperature readings in the data", EXIT.usage, opts.file ? "is it the right file?" : "widen --since, or check that the nodes write to this database");
    const result = verifyMapping(house, data);
    if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    else process.stdout.write(renderVerify(house, result, langOf(house)));
    if (!result.starts.length) {
      throw new UserError("not enough data: no heating start in the window, so the mapping could not be checked", EXIT.usage, "run again after the heat pump has started at least once (a start after a pause of 20 min or more), or widen --since");
    }
    if (result.findings.length) process.exitCode = EXIT.verifyFindings;
  });
}
