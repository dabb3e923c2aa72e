// `floorbalance apply`: record what the person did at the manifolds, so the engine knows the
// valves' settings and waits for the new steady state before judging again.
//
// Decision: the state file is the engine's record (it always wins over the house file's
// settings), AND the house file's valve settings are updated in place with the yaml Document API
// (comments and layout kept, validated, written atomically), so the house file never goes stale.
// --no-house-update leaves the house file alone and says what to edit.

import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { loadSecrets } from "../../shared/secrets.js";
import { applySelection, parseSetting, SelectionError, type Selection } from "../../analyser/engine/apply.js";
import { updateValveSettings } from "../../analyser/engine/house-edit.js";
import { defaultStatePath, loadMemory, saveMemory } from "../../analyser/state/memory-file.js";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { mirrorEvents } from "../../analyser/delivery/mirror.js";
import { configOption, loadHouse } from "../options.js";
import { count, num } from "../../analyser/report/i18n.js";

interface ApplyOptions {
  config?: string;
  all?: boolean;
  circuit?: string[];
  set?: string[];
  state?: string;
  at?: string;
  houseUpdate: boolean;
  influx: boolean;
}

/** The engine says what is wrong with the selection; the shell gives it its exit code. */
function asUserError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof SelectionError) throw new UserError(e.message, EXIT.usage, e.hint);
    throw e;
  }
}

export function register(program: Command): void {
  configOption(
    program
      .command("apply")
      .description("record the valve changes you made: all of today's recommendations, some, or values read off the meters")
      .option("--all", "you applied all open recommendations")
      .option("--circuit <id...>", "you applied the open recommendations of these circuits")
      .option("--set <circuit=value...>", "you set these values (flow meter: ID=2.4 in l/min; lockshield: ID=1.5turns)")
      .option("--state <file>", `state file (default: ${defaultStatePath()})`)
      .option("--at <time>", "when you made the change (ISO time, site time zone; default: now)")
      .option("--no-house-update", "do not write the new settings into the house file")
      .option("--no-influx", "do not mirror the record into InfluxDB"),
  ).action(async (opts: ApplyOptions) => {
    const modes = [opts.all ? 1 : 0, opts.circuit?.length ? 1 : 0, opts.set?.length ? 1 : 0].reduce((a, b) => a + b, 0);
    if (modes !== 1) throw new UserError("say what you did: exactly one of --all, --circuit ID…, --set ID=VALUE…", EXIT.usage, "e.g. floorbalance apply --all, or floorbalance apply --set bad=1.2");
    const { house, file } = loadHouse(opts);
    const statePath = opts.state ?? defaultStatePath();
    const now = opts.at ? parseAt(opts.at, house.site.timezone) : Math.floor(Date.now() / 1000);
    const before = loadMemory(statePath);
    const { memory, recorded } = asUserError(() => {
      const selection: Selection = opts.all ? { all: true } : opts.circuit?.length ? { circuits: opts.circuit } : { settings: opts.set!.map(parseSetting) };
      return applySelection(house, before, selection, now);
    });
    let saved = memory;
    saveMemory(statePath, saved);

    const lang = house.site.language;
    const de = lang === "de";
    const hours = (v: number) => num(v, Number.isInteger(v) ? 0 : 1, lang);
    const out: string[] = [de ? `${count(recorded.length, lang)} ${recorded.length === 1 ? "Änderung" : "Änderungen"} in ${statePath} eingetragen:` : `recorded ${recorded.length} change${recorded.length === 1 ? "" : "s"} in ${statePath}:`];
    for (const e of recorded) out.push(`  ${e.text}`);
    const settings = recorded.map((e) => ({ circuit: e.circuit, value: e.value, unit: e.unit }));
    if (opts.houseUpdate) {
      writeFileAtomic(file, updateValveSettings(readFileSync(file, "utf8"), settings, file));
      out.push(de ? `Ventileinstellungen in ${file} aktualisiert (Kommentare bleiben)` : `updated the valve settings in ${file} (comments kept)`);
    } else {
      const edits = settings.map((s) => `${s.circuit} ${s.unit === "l/min" ? "setting_lpm" : "turns_open"}: ${s.value}`).join(", ");
      out.push(de ? `die Hausdatei blieb unverändert; in ${file} eintragen: ${edits}` : `the house file was not changed; edit ${file}: ${edits}`);
    }
    if (opts.influx) {
      const mirrored = await mirrorEvents(house, loadSecrets(file), saved);
      if (mirrored.error) out.push(de ? `Hinweis: ${mirrored.error}; der Eintrag ist in der Zustandsdatei sicher und geht mit dem nächsten Lauf an InfluxDB` : `note: ${mirrored.error}; the record is safe in the state file and is sent with the next run`);
      else {
        saved = mirrored.memory;
        saveMemory(statePath, saved);
      }
    }
    const settleH = house.analysis.settle_h;
    const next = DateTime.fromSeconds(now + settleH * 3600, { zone: house.site.timezone });
    out.push(
      de
        ? `die Auswertung wartet ${hours(settleH)} h auf den neuen Beharrungszustand; nächstes Urteil nach ${next.toFormat("dd.LL.yyyy HH:mm")}`
        : `the engine waits ${hours(settleH)} h for the new steady state; next judgement after ${next.toFormat("yyyy-LL-dd HH:mm")}`,
    );
    process.stdout.write(out.join("\n") + "\n");
  });
}

function parseAt(text: string, zone: string): number {
  const t = DateTime.fromISO(text, { zone });
  if (!t.isValid) throw new UserError(`--at ${text}: not a time`, EXIT.usage, "write it as 2026-11-23T08:15");
  return Math.floor(t.toSeconds());
}
