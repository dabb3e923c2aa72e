import type { Command } from "commander";
import { influxSource } from "../../commissioning/influx.js";
import { checkSignals, type SignalFinding } from "../../analyser/rooms/signals.js";
import { bleThermometers, lastBleValues, lastHaValues } from "../../analyser/sources/rooms.js";
import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { circuitsOf, sensorsOfNode, type House } from "../../shared/house/index.js";
import { loadSecrets } from "../../shared/secrets.js";
import { configOption, configPath, loadHouse } from "../options.js";

export function register(program: Command): void {
  configOption(
    program
      .command("check")
      .description("validate the house file and summarise it; with --influx also check that InfluxDB has the room thermometers it names")
      .option("--influx", "ask InfluxDB whether each named room thermometer exists and is fresh (suggests near matches for a typo)"),
  ).action(async (opts) => {
    const { house, warnings, file } = loadHouse(opts);
    const sensors = house.nodes.reduce((n, node) => n + sensorsOfNode(house, node.id).length, 0);
    const out: string[] = [];
    out.push(`${file}: valid — ${house.site.name} (${house.site.timezone}, reports in ${house.site.language === "de" ? "German" : "English"})`);
    out.push(`  ${house.nodes.length} nodes, ${house.manifolds.length} manifolds, ${house.circuits.length} circuits, ${sensors} sensors`);
    for (const node of house.nodes) {
      const onNode = sensorsOfNode(house, node.id);
      const perBus = node.buses.map((b) => `bus ${b.id} (GPIO ${b.pin}): ${onNode.filter((s) => s.bus === b.id).length}`).join(", ");
      out.push(`  node ${node.id} (${node.hostname}): ${onNode.length} sensors — ${perBus}; every ${node.interval_s} s at ${node.resolution} bit`);
    }
    for (const m of house.manifolds) {
      const circuits = circuitsOf(house, m.id);
      out.push(`  manifold ${m.id} "${m.name}" on ${m.node}: ${circuits.length} circuits, policy ${m.policy}`);
    }
    let roomWarnings = 0;
    if (house.rooms.length > 0) {
      const ha = house.rooms.filter((r) => r.ha).length;
      const ble = house.rooms.filter((r) => r.ble).length;
      const none = house.rooms.filter((r) => !r.ha && !r.ble).length;
      out.push(T(house, `  ${house.rooms.length} rooms: ${ha} with a Home Assistant thermometer, ${ble} with a BLE thermometer, ${none} without (votes: floorbalance comfort)`, `  ${house.rooms.length} Räume: ${ha} mit Home-Assistant-Thermometer, ${ble} mit BLE-Thermometer, ${none} ohne (Rückmeldung: floorbalance comfort)`));
      if (ha + ble > 0) {
        if (opts.influx) {
          const findings = await verifyThermometers(house, configPath(opts));
          if (findings === null) out.push(T(house, "  warning: InfluxDB could not be reached; the room thermometers are not verified", "  Warnung: InfluxDB nicht erreichbar; die Raumthermometer sind nicht geprüft"));
          else {
            for (const f of findings) out.push(describeFinding(house, f));
            roomWarnings = findings.filter((f) => f.kind !== "ok").length;
          }
        } else out.push(T(house, "  room thermometers not checked against InfluxDB (add --influx)", "  Raumthermometer nicht gegen InfluxDB geprüft (--influx anhängen)"));
      }
    }
    const total = warnings.length + roomWarnings;
    if (total) out.push(`  ${total} warning${total === 1 ? "" : "s"}${roomWarnings ? "" : " (above)"}`);
    process.stdout.write(out.join("\n") + "\n");
  });
}

function T(house: House, en: string, de: string): string {
  return house.site.language === "de" ? de : en;
}

/** Null when InfluxDB cannot be asked (the check of the file itself still stands). */
async function verifyThermometers(house: House, config: string): Promise<SignalFinding[] | null> {
  const source = influxSource(house, loadSecrets(config));
  const now = Math.floor(Date.now() / 1000);
  // Look back a month: a thermometer silent that long is reported stale, not missing.
  const since = now - 30 * 86400;
  try {
    const measurements = [...new Set(house.rooms.flatMap((r) => (r.ha ? [r.ha.measurement] : [])))];
    const ha = new Map();
    for (const m of measurements) for (const [k, v] of await lastHaValues(source, m, since)) ha.set(k, v);
    const ble = lastBleValues(await bleThermometers(source, since));
    return checkSignals(house.rooms, ha, ble, now);
  } catch (err) {
    if (err instanceof UserError && err.exitCode === EXIT.influxUnreachable) return null;
    throw err;
  }
}

function describeFinding(house: House, f: SignalFinding): string {
  const what = f.source === "ha" ? `Home Assistant ${f.id}` : `BLE ${f.id}`;
  if (f.kind === "ok") return T(house, `  room ${f.room}: ${what} ok, ${f.celsius} °C ${f.age_h} h ago`, `  Raum ${f.room}: ${what} ok, ${f.celsius} °C vor ${f.age_h} h`);
  if (f.kind === "stale") return T(house, `  warning: room ${f.room}: ${what} has written nothing for ${f.age_h} h (stale); the room is not judged by it until it reports again`, `  Warnung: Raum ${f.room}: ${what} hat seit ${f.age_h} h nichts geschrieben (veraltet); der Raum wird danach nicht beurteilt, bis es wieder meldet`);
  const near = f.suggestions.length ? T(house, ` — did you mean ${f.suggestions.join(", ")}?`, ` — gemeint vielleicht ${f.suggestions.join(", ")}?`) : "";
  return T(house, `  warning: room ${f.room}: InfluxDB has no ${what}${near}`, `  Warnung: Raum ${f.room}: InfluxDB hat kein ${what}${near}`);
}
