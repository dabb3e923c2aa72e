// floorbalance sensors: every sensor seen (InfluxDB, or one node's /status), grouped per node
// and bus, mapped or not, last reading and age, health; and what the house file expects but
// nobody has seen.
import type { Command } from "commander";
import { buildInventory } from "../../commissioning/inventory.js";
import { influxSource, readRejections, readTraces } from "../../commissioning/influx.js";
import { langOf, nowFrom, nowOption, requireNode } from "../../commissioning/options.js";
import { renderInventory } from "../../commissioning/render.js";
import { renderThermometers, thermometerRows, type ThermometerRow } from "../../commissioning/thermometers.js";
import { bleThermometers } from "../../analyser/sources/rooms.js";
import { parseDuration } from "../../commissioning/series.js";
import { fetchStatus, statusToTraces } from "../../commissioning/status.js";
import { loadSecrets } from "../../shared/secrets.js";
import { configOption, configPath, loadHouse } from "../options.js";

export function register(program: Command): void {
  configOption(
    program
      .command("sensors")
      .description("list every sensor seen: per node and bus, mapped or not, last reading, health; and those expected but not seen")
      .option("--since <duration>", "look back this far in InfluxDB (90s, 10m, 2h, 1d)", "10m")
      .option("--node <id>", "ask this node directly (its /status) instead of InfluxDB")
      .option("--host <url>", "the node's address for --node (default: http://<hostname from the house file>)")
      .option("--json", "print the inventory as JSON")
      .addOption(nowOption()),
  ).action(async (opts) => {
    const { house } = loadHouse(opts);
    let inventory;
    let thermometers: ThermometerRow[] = [];
    if (opts.node) {
      const node = requireNode(house, opts.node);
      const status = await fetchStatus(opts.host ?? `http://${node.hostname}`);
      const { traces, rejectedByRom, now } = statusToTraces(status);
      const full = buildInventory({ house, traces, now, rejectedByRom });
      inventory = { ...full, groups: full.groups.filter((g) => g.node === node.id || g.node === status.node), missing: full.missing.filter((m) => m.node === node.id) };
    } else {
      const now = nowFrom(opts);
      const window = { start: now - parseDuration(opts.since, "--since"), end: now + 1 };
      const source = influxSource(house, loadSecrets(configPath(opts)));
      const [traces, rejectedByNode, seen] = await Promise.all([readTraces(source, window), readRejections(source, window), bleThermometers(source, window.start)]);
      inventory = buildInventory({ house, traces, now, rejectedByNode });
      thermometers = thermometerRows(house, seen, now);
    }
    if (opts.json) {
      process.stdout.write(JSON.stringify({ ...inventory, rejectedByNode: Object.fromEntries(inventory.rejectedByNode), thermometers }, null, 2) + "\n");
    } else {
      process.stdout.write(renderInventory(house, inventory, langOf(house)) + renderThermometers(thermometers, langOf(house)));
    }
  });
}
