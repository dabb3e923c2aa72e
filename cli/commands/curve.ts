// floorbalance curve: the heating curve the house actually receives (fitted from the last days'
// heating-active data, in the controller's own terms), the heat pump's cycling, and today's
// advice with the exact values to enter (German or English, from the house file).

import type { Command } from "commander";
import { DateTime } from "luxon";
import { UserError } from "../../shared/errors.js";
import type { House } from "../../shared/house/index.js";
import { loadSecrets } from "../../shared/secrets.js";
import { readSource, type Source } from "../../analyser/sources/run.js";
import type { MinuteSeries } from "../../analyser/measurement/series.js";
import {
  adviceLines,
  advise,
  controllerOf,
  controls,
  cycleStats,
  cyclingLines,
  deliveredLines,
  fitDelivered,
  judgeCycling,
  onFromSpread,
  proofLines,
  proveSaving,
  type PeriodData,
  type CurveSample,
  type DayObservation,
  type RoomDeviation,
} from "../../analyser/curve/index.js";
import { configOption, configPath, loadHouse } from "../options.js";
import { parseNow } from "./analyse.js";

interface CurveFlags {
  config?: string;
  file?: string;
  now?: string;
  days?: string;
  room?: string[];
  balanced?: boolean;
  json?: boolean;
}

/** Mean of the manifolds' supply and return sensors per minute (the heat pump's water, seen from the manifolds). */
function plantWater(house: House, data: MinuteSeries): { supply: Float64Array; ret: Float64Array } {
  const mean = (roms: string[]) => {
    const out = new Float64Array(data.minutes).fill(NaN);
    const series = roms.map((r) => data.byRom.get(r)).filter((s): s is Float64Array => !!s);
    for (let i = 0; i < data.minutes; i++) {
      let s = 0;
      let n = 0;
      for (const v of series) if (Number.isFinite(v[i])) (s += v[i]), n++;
      if (n) out[i] = s / n;
    }
    return out;
  };
  return { supply: mean(house.manifolds.flatMap((m) => (m.supply ? [m.supply.rom] : []))), ret: mean(house.manifolds.flatMap((m) => (m.return ? [m.return.rom] : []))) };
}

/** "Bad=-0.5" → a comfort vote of the person (K, negative = too cold). */
function parseRoom(text: string): RoomDeviation {
  const m = /^(.+?)=([+-]?\d+(?:[.,]\d+)?)$/.exec(text.trim());
  if (!m) throw new UserError(`--room "${text}" is not ROOM=K`, undefined, 'write the room and how far it is from what you want, e.g. --room "Bad=-0.5" (too cold) or --room "Kind 1=+1"');
  return { room: m[1], deviationK: Number(m[2].replace(",", ".")), source: "vote" };
}

export function register(program: Command): void {
  configOption(
    program
      .command("curve")
      .description("the fitted heating curve, the heat pump's cycling and today's curve advice")
      .option("--file <file>", "read line protocol from a file instead of InfluxDB")
      .option("--now <time>", "as if it were this time (Unix seconds or ISO)")
      .option("--days <n>", "days of data for the fit (default 7)")
      .option("--room <ROOM=K>", "a room's deviation from what you want, K (repeatable; negative = too cold)", (v: string, acc: string[] = []) => [...acc, v])
      .option("--balanced", "the balance has converged (the daily report says so)")
      .option("--json", "print fit, cycling and advice as JSON"),
  ).action(async (flags: CurveFlags) => {
    const { house, file } = loadHouse(flags, !!flags.json);
    const days = flags.days === undefined ? 7 : Number(flags.days);
    if (!Number.isInteger(days) || days < 1 || days > 60) throw new UserError(`--days "${flags.days}" is not a number of days between 1 and 60`, undefined, "e.g. --days 7");
    const source: Source = flags.file ? { kind: "file", file: flags.file } : { kind: "influx", secrets: loadSecrets(file ?? configPath(flags)) };
    const { data, now } = await readSource(house, source, parseNow(flags.now), days * 24);
    const lang = house.site.language;
    const controller = controllerOf(house);
    const { supply, ret } = plantWater(house, data);
    const outdoor = data.signals?.outdoor_c;
    const heating = data.signals?.heat_pump_heating;
    const on = onFromSpread(supply, ret);
    // Heating-active hours: the heat pump is heating (signal, where logged) and heat flows.
    const samples: (CurveSample & { t: number })[] = [];
    for (let h = 0; h + 60 <= data.minutes; h += 60) {
      let o = 0;
      let w = 0;
      let n = 0;
      for (let i = h; i < h + 60; i++) {
        if (!on[i] || (heating && heating[i] === 0) || !outdoor || !Number.isFinite(outdoor[i])) continue;
        o += outdoor[i];
        w += controls(controller) === "return" ? ret[i] : supply[i];
        n++;
      }
      if (n >= 30) samples.push({ outdoorC: o / n, waterC: w / n, t: data.start + h * 60 });
    }
    const fit = fitDelivered(samples, controller);
    const stats = cycleStats(on, "spread");
    const outdoorMean = outdoor ? [...outdoor].filter(Number.isFinite).reduce((s, v, _, a) => s + v / a.length, 0) : undefined;
    const verdict = judgeCycling(stats, { outdoorC: outdoorMean });
    const zone = house.site.timezone;
    const today = DateTime.fromSeconds(now, { zone }).toISODate()!;
    const votes = (flags.room ?? []).map(parseRoom);
    const day: DayObservation = { date: DateTime.fromSeconds(now - 3600, { zone }).toISODate()!, outdoorC: outdoorMean ?? NaN, rooms: votes };
    const last = house.plant.heat_pump.curve_changed;
    const advice = advise({ controller, balanced: !!flags.balanced, today, days: [day], lastChange: last ? { date: last.date, deltaAt0K: last.delta_at_0_k } : undefined });
    if (flags.json) {
      process.stdout.write(JSON.stringify({ controller, delivered: fit ?? null, cycling: { ...stats, ...verdict }, advice }, null, 2) + "\n");
      return;
    }
    const lines: string[] = [];
    lines.push(lang === "de" ? "Heizkurve" : "Heating curve");
    if (fit) lines.push(...deliveredLines(fit, controller, lang));
    else lines.push(lang === "de" ? "Zu wenige Heizstunden mit Außentemperatur für eine Kurve (Außentemperatur in plant.signals angeben)." : "Too few heating hours with an outdoor temperature to fit a curve (name one in plant.signals).");
    lines.push(...cyclingLines(stats, verdict, lang), "");
    lines.push(...adviceLines(advice, controller, lang));
    // The proof: before and after the last curve change, where the data spans it.
    if (last) {
      const cut = DateTime.fromISO(last.date, { zone }).toSeconds();
      const period = (from: number, to: number): PeriodData => {
        const i0 = Math.max(0, Math.floor((from - data.start) / 60));
        const i1 = Math.min(data.minutes, Math.floor((to - data.start) / 60));
        const dailyOutdoorC: number[] = [];
        for (let d = i0; d + 1440 <= i1; d += 1440) {
          const v = outdoor ? [...outdoor.subarray(d, d + 1440)].filter(Number.isFinite) : [];
          if (v.length) dailyOutdoorC.push(v.reduce((s, x) => s + x, 0) / v.length);
        }
        return {
          samples: samples.filter((s) => s.t >= from && s.t < to).map((s) => ({ outdoorC: s.outdoorC, supplyC: s.waterC })),
          dailyOutdoorC,
          starts: Math.max(0, i1 - i0) >= 1440 ? cycleStats(on.subarray(i0, i1), "spread").starts : undefined,
          days: Math.max(0, i1 - i0) / 1440,
        };
      };
      const before = period(data.start, cut);
      const after = period(cut + 86_400, data.start + data.minutes * 60);
      if (before.samples.length >= 2 && after.samples.length >= 2) lines.push("", ...proofLines(proveSaving(before, after, 0), lang));
    }
    process.stdout.write(lines.join("\n") + "\n");
  });
}
