// `floorbalance virtual-node`: one node's firmware core running in Node against simulated
// sensors (the house twin), writing to InfluxDB like a real ESP32 would.
import type { Command } from "commander";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { loadSecrets } from "../../shared/secrets.js";
import { deriveNodeConfig } from "../../firmware/host/config.js";
import { runVirtualNode } from "../../firmware/virtual/run.js";
import { configOption, loadHouse } from "../options.js";

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UserError(`--duration "${text}" is not a duration`, EXIT.usage, "write it as 90s, 30m, 24h or 2d");
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? "s") as "s" | "m" | "h" | "d"];
}

export function register(program: Command): void {
  configOption(program.command("virtual-node").description("run one node's firmware core in Node with simulated sensors, writing to InfluxDB"))
    .requiredOption("-n, --node <id>", "node id from the house file")
    .requiredOption("--influx <url>", "InfluxDB to write to, e.g. http://127.0.0.1:8086")
    .option("--speed <x>", "simulated seconds per real second, or max", "1")
    .option("--duration <d>", "how long to run, simulated (90s, 30m, 24h, 2d)", "1h")
    .option("--start <iso>", "simulated boot time, UTC (default: now, or now minus the duration when --speed is not 1)")
    .option("--flash <file>", "keep the flash buffer in this file (survives restarts, like the partition)")
    .option("--seed <n>", "random seed", "1")
    .action(async (opts: { config?: string; node: string; influx: string; speed: string; duration: string; start?: string; flash?: string; seed: string }) => {
      const { house, file } = loadHouse(opts);
      let url: URL;
      try {
        url = new URL(opts.influx);
      } catch {
        throw new UserError(`--influx "${opts.influx}" is not a URL`, EXIT.usage, "write it as http://127.0.0.1:8086");
      }
      if (url.protocol !== "http:") throw new UserError(`--influx ${opts.influx}: only http:// is supported`, EXIT.usage);
      const speed = opts.speed === "max" ? Infinity : Number(opts.speed);
      if (!(speed > 0)) throw new UserError(`--speed "${opts.speed}" must be a positive number or max`, EXIT.usage);
      const durationS = parseDuration(opts.duration);
      const now = Math.floor(Date.now() / 1000);
      const startS = opts.start ? Math.floor(Date.parse(opts.start) / 1000) : speed === 1 ? now : now - durationS;
      if (!Number.isFinite(startS)) throw new UserError(`--start "${opts.start}" is not a time`, EXIT.usage, "write it as 2026-01-15T06:00:00Z");
      const secrets = loadSecrets(file);
      const base = deriveNodeConfig(house, opts.node);
      const config = {
        ...base,
        influx: { ...base.influx, host: url.hostname, port: Number(url.port || 80) },
        influx_username: secrets.influx_username,
        influx_password: secrets.influx_password,
      };
      const abort = new AbortController();
      process.once("SIGINT", () => abort.abort());
      const result = await runVirtualNode({
        house,
        config,
        influxUrl: url.origin,
        speed,
        durationS,
        startS,
        seed: Number(opts.seed),
        flashFile: opts.flash,
        signal: abort.signal,
        log: (line) => process.stderr.write(`[${opts.node}] ${line}\n`),
      });
      const s = result.status;
      process.stdout.write(
        `virtual node ${opts.node}: ${result.cycles} cycles, ${result.linesWritten} lines written to ${url.origin} db ${config.influx.database}; ` +
          `buffer ${s.buffer.depth} waiting, ${s.buffer.dropped} dropped; last write ${s.write.status}\n`,
      );
      if (s.write.status !== "ok" && s.write.status !== "none") {
        throw new UserError(`the last write to InfluxDB failed (${s.write.status}, HTTP ${s.write.http_status})`, s.write.status === "auth" ? EXIT.influxAuth : s.write.status === "db_missing" ? EXIT.influxNoDatabase : EXIT.influxUnreachable, s.write.status === "db_missing" ? `create it: influx -execute 'CREATE DATABASE ${config.influx.database}'` : undefined);
      }
    });
}
