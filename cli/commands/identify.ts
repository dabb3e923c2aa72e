// floorbalance identify: the touch test. Hold one sensor in your hand; the tool names the ROM
// that warms clearly above its neighbours, asks which pipe it is on (with completion from the
// house file), writes it into the house file (comments kept, atomic) and waits for the next.
// `--assign ROM=circuit[:role]` does the same without prompts.
import type { Command } from "commander";
import { createInterface, type Interface } from "node:readline/promises";
import { assignInFile, completer, describeTarget, parseTarget, type Assignment, type Target } from "../../commissioning/house-edit.js";
import { influxSource, readTraces } from "../../commissioning/influx.js";
import { describeMapping } from "../../commissioning/inventory.js";
import { langOf, requireNode } from "../../commissioning/options.js";
import { parseDuration, type RomTrace } from "../../commissioning/series.js";
import { confirmed, detectTouch, DEFAULT_TOUCH, type TouchVerdict } from "../../commissioning/touch.js";
import { UserError } from "../../shared/errors.js";
import { sensorIndex, type House } from "../../shared/house/index.js";
import { loadHouseFile } from "../../shared/house/load.js";
import { bleTraces } from "../../analyser/sources/rooms.js";
import { assignThermometerInFile, BLE_TOUCH } from "../../commissioning/thermometer-edit.js";
import { parseRom } from "../../shared/rom.js";
import { loadSecrets } from "../../shared/secrets.js";
import { configOption, configPath, loadHouse } from "../options.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  configOption(
    program
      .command("identify")
      .description("touch test: hold a sensor in your hand, the tool names its ROM and writes it into the house file")
      .option("--node <id>", "the node whose sensors you are touching")
      .option("--assign <rom=target>", "write a ROM without the touch test; target: circuit, circuit:return, manifold:supply or manifold:return (repeatable)", collect)
      .option("--poll <duration>", "how often to look at the live readings", "5s")
      .option("--ble", "map a Bluetooth room thermometer instead: warm it in your hand; needs --room")
      .option("--room <name>", "with --ble: the room the warmed thermometer belongs to"),
  ).action(async (opts) => {
    const file = configPath(opts);
    const { house } = loadHouse(opts);
    const lang = langOf(house);
    const say = (en: string, de: string) => process.stdout.write((lang === "de" ? de : en) + "\n");

    if (opts.assign?.length) {
      for (const spec of opts.assign as string[]) {
        const eq = spec.indexOf("=");
        if (eq < 0) throw new UserError(`--assign ${spec}: write it as ROM=target`, undefined, "e.g. --assign 28-0316a2794aff=kueche or --assign 28-0316a2794aff=eg-sued:supply");
        const rom = spec.slice(0, eq).trim();
        const current = loadHouseFile(file).house;
        const target = parseTarget(current, spec.slice(eq + 1));
        report(assignInFile(file, rom, target), rom, target, say);
      }
      return;
    }
    if (opts.ble) return identifyThermometer(file, house, opts.room, parseDuration(opts.poll, "--poll") * 1000, say);
    if (!opts.node) throw new UserError("say which node's sensors you are touching: --node ID (or use --assign ROM=target)", undefined, `nodes: ${house.nodes.map((n) => n.id).join(", ")}`);
    const node = requireNode(house, opts.node);
    const pollMs = parseDuration(opts.poll, "--poll") * 1000;
    const source = influxSource(house, loadSecrets(file));
    const rl = createInterface({ input: process.stdin, output: process.stdout, completer: completer(house), terminal: process.stdin.isTTY });
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      say("\nStopped. The house file is valid: every sensor named so far is in it.", "\nAbgebrochen. Die Hausdatei ist gültig: jeder bisher benannte Fühler steht darin.");
      rl.close();
    };
    rl.on("SIGINT", stop);
    rl.on("close", () => (stopped = true));

    say(
      `Touch test on node ${node.id}. Hold ONE sensor firmly in your warm hand (the pipe should be cooler than your hand: heating off or idle). I will name it within about a minute. Ctrl-C stops; the house file stays valid.`,
      `Handtest an Knoten ${node.id}. Nimm EINEN Fühler fest in die warme Hand (das Rohr sollte kühler sein als die Hand: Heizung aus oder in Pause). Ich nenne ihn innerhalb etwa einer Minute. Strg-C beendet; die Hausdatei bleibt gültig.`,
    );
    const done = new Set<string>();
    let history: TouchVerdict[] = [];
    let lastStatus = "";
    while (!stopped) {
      const now = Math.floor(Date.now() / 1000);
      const traces = await readTraces(source, { start: now - 30 * 60, end: now + 60 }, node.id);
      // The node's clock is the reference: judge at its newest reading.
      const newest = Math.max(0, ...traces.map((t) => t.samples.at(-1)?.time ?? 0));
      const candidates: RomTrace[] = traces.filter((t) => !done.has(t.rom));
      const verdict = newest ? detectTouch(candidates, newest, DEFAULT_TOUCH) : ({ kind: "waiting", reason: "too-little-data", rises: [] } as TouchVerdict);
      history = [...history.slice(-5), verdict];
      const rom = confirmed(history);
      if (!rom) {
        const key = verdict.kind === "named" ? verdict.rom : `${verdict.reason} ${verdict.leader?.rom ?? ""}`;
        if (key !== lastStatus) process.stdout.write(statusLine(verdict, lang) + "\n");
        lastStatus = key;
        await sleep(pollMs, () => stopped);
        continue;
      }
      const current = loadHouseFile(file).house;
      const mapping = sensorIndex(current).get(rom) ?? null;
      const trace = traces.find((t) => t.rom === rom)!;
      const named = verdict.kind === "named" ? verdict.excessK : 0;
      say(`\nFound: ${rom} (bus ${trace.bus}) warms ${named.toFixed(1)} K above the others. Now: ${describeMapping(mapping)}.`, `\nGefunden: ${rom} (Bus ${trace.bus}) wird ${named.toFixed(1)} K wärmer als die anderen. Bisher: ${describeMapping(mapping, "de")}.`);
      const target = await ask(rl, current, lang, () => stopped);
      if (target === "quit" || stopped) break;
      if (target) {
        report(assignInFile(file, rom, target, { node: trace.node, bus: trace.bus }), rom, target, say);
      }
      done.add(rom);
      history = [];
      lastStatus = "";
      say("Let go of it and take the next sensor.", "Loslassen und den nächsten Fühler nehmen.");
    }
    stop();
  });
}

async function ask(rl: Interface, house: ReturnType<typeof loadHouseFile>["house"], lang: string, stopped: () => boolean): Promise<Target | null | "quit"> {
  const prompt = lang === "de" ? "Welches Rohr? (Kreis, Verteiler:supply|return; Tab ergänzt; leer = überspringen; q = Ende) > " : "Which pipe? (circuit, manifold:supply|return; Tab completes; empty = skip; q = quit) > ";
  for (;;) {
    let answer: string;
    try {
      answer = (await rl.question(prompt)).trim();
    } catch {
      return "quit"; // the interface was closed (Ctrl-C, end of input)
    }
    if (stopped()) return "quit";
    if (answer === "") return null;
    if (answer === "q" || answer === "quit") return "quit";
    try {
      return parseTarget(house, answer);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      process.stdout.write(`  ${err.message}${err.hint ? `\n  ${err.hint}` : ""}\n`);
    }
  }
}

function report(result: Assignment, rom: string, target: Target, say: (en: string, de: string) => void): void {
  const canonical = parseRom(rom);
  const r = canonical.ok ? canonical.canonical : rom;
  say(`Written: ${r} is ${describeTarget(target)}.`, `Eingetragen: ${r} ist ${describeTarget(target, "de")}.`);
  if (result.previous) say(`  (it was ${describeMapping(result.previous)} before; that place is empty now)`, `  (vorher ${describeMapping(result.previous, "de")}; dieser Platz ist jetzt leer)`);
  if (result.displaced) say(`  (${result.displaced} was there before and is unmapped now)`, `  (${result.displaced} stand dort vorher und ist jetzt nicht zugeordnet)`);
}

function statusLine(v: TouchVerdict, lang: string): string {
  const de = lang === "de";
  if (v.kind === "named") return de ? `  ${v.rom} wird wärmer … (bestätige)` : `  ${v.rom} is warming … (confirming)`;
  switch (v.reason) {
    case "too-little-data":
      return de ? "  warte auf Messwerte dieses Knotens …" : "  waiting for readings from this node …";
    case "everything-warms":
      return de ? "  alle Fühler werden wärmer (Heizstart?) – warte, bis einer deutlich herausragt …" : "  every sensor is warming (heating start?) – waiting until one clearly stands out …";
    case "unclear":
      return de ? `  ${v.leader?.rom} wird etwas wärmer (+${v.leader?.excessK.toFixed(1)} K), noch nicht eindeutig …` : `  ${v.leader?.rom} is warming a little (+${v.leader?.excessK.toFixed(1)} K), not clear yet …`;
    default:
      return de ? "  ruhig – halte einen Fühler in der Hand …" : "  quiet – hold one sensor in your hand …";
  }
}

async function sleep(ms: number, stopped: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!stopped() && Date.now() < end) await new Promise((r) => setTimeout(r, Math.min(200, end - Date.now())));
}

/** The hand-warming test for a BLE room thermometer: the one warming clearly above the others is written into the room. */
async function identifyThermometer(file: string, house: House, room: string | undefined, pollMs: number, say: (en: string, de: string) => void): Promise<void> {
  const rooms = [...new Set([...house.rooms.map((r) => r.name), ...house.circuits.map((c) => c.room)])];
  if (!room || !rooms.includes(room)) throw new UserError(room ? `no room "${room}" in the house file` : "say which room the thermometer belongs to: --room NAME", undefined, `rooms: ${rooms.join(", ")}`);
  const source = influxSource(house, loadSecrets(file));
  say(
    `Warm the thermometer for ${room} in your hand (a few minutes; the nodes keep one reading a minute). Ctrl-C stops.`,
    `Das Thermometer für ${room} in der Hand anwärmen (einige Minuten; die Knoten behalten eine Messung pro Minute). Strg-C beendet.`,
  );
  let history: TouchVerdict[] = [];
  for (;;) {
    const now = Math.floor(Date.now() / 1000);
    const traces = await bleTraces(source, { start: now - 30 * 60, end: now + 60 });
    const newest = Math.max(0, ...traces.map((t) => t.samples.at(-1)?.time ?? 0));
    const verdict = newest ? detectTouch(traces, newest, BLE_TOUCH) : ({ kind: "waiting", reason: "too-little-data", rises: [] } as TouchVerdict);
    history = [...history.slice(-5), verdict];
    const mac = confirmed(history);
    if (mac) {
      const r = assignThermometerInFile(file, room, mac);
      say(`Written: ${mac} is the thermometer of ${room}.`, `Eingetragen: ${mac} ist das Thermometer von ${room}.`);
      if (r.previousRoom) say(`  (it was ${r.previousRoom}'s before; that room has none now)`, `  (vorher in ${r.previousRoom}; dieser Raum hat jetzt keins)`);
      if (r.created) say(`  (room added to rooms with target 20 °C: set its target_c)`, `  (Raum unter rooms angelegt mit Ziel 20 °C: target_c anpassen)`);
      return;
    }
    await sleep(pollMs, () => false);
  }
}
