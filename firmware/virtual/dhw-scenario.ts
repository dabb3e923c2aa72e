// A circulation scenario that runs the same on Node and on XS (bundled by esbuild, run in
// @agoric/xsnap by test/dhw/xs.test.ts): two days of the controller on the simulated loop, with
// fixed motions and draws, a sensor failure and a disinfection. Portable: no Node imports.

import type { DhwConfig } from "../core/dhw/config.js";
import { DhwController } from "../core/dhw/controller.js";
import { DhwLoop } from "../../simulator/dhw-loop.js";

export interface DhwScenarioResult {
  runs: number;
  pump_s: number;
  reasons: Record<string, number>;
  events: Record<string, number>;
  longest_s: number;
  weights_sum: number;
  line_end_c: number;
}

/** `config` as the host derives it; `startS` a local midnight (UTC seconds). */
export function dhwTwoDays(config: DhwConfig, startS: number): DhwScenarioResult {
  const ctl = new DhwController(config);
  const loop = new DhwLoop();
  const out: DhwScenarioResult = { runs: 0, pump_s: 0, reasons: {}, events: {}, longest_s: 0, weights_sum: 0, line_end_c: 0 };
  let drawUntil = 0;
  for (let m = 0; m < 2 * 86400; m += 5) {
    const t = startS + m;
    const h = (m % 86400) / 3600;
    if (m === 30 * 3600) loop.disinfectToC = 66;
    const failed = m >= 40 * 3600 && m < 42 * 3600;
    const s = { monoS: m, wallS: t, lineC: failed ? null : loop.lineSensorC, outletC: loop.outletSensorC };
    // Someone in the bathroom at 06:30, 12:10, 19:45 and 23:30 (locked), a tap a minute later.
    const motion = [6.5, 12.1666, 19.75, 23.5].some((x) => Math.abs(h - x) < 2.5 / 3600);
    if ([6.5, 12.1666, 19.75, 23.5].some((x) => Math.abs(h - x - 1 / 60) < 2.5 / 3600)) drawUntil = m + 120;
    loop.drawLpm = m < drawUntil ? 6 : 0;
    const step = motion ? ctl.demand("motion", s) : ctl.tick(s);
    for (const r of step.runs) {
      out.runs++;
      out.reasons[r.reason] = (out.reasons[r.reason] ?? 0) + 1;
      if (r.duration_s > out.longest_s) out.longest_s = r.duration_s;
    }
    for (const e of step.events) out.events[e.kind] = (out.events[e.kind] ?? 0) + 1;
    loop.pump = step.relay;
    if (step.relay) out.pump_s += 5;
    loop.step(5);
  }
  out.weights_sum = Math.round(ctl.matrix.weights.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
  out.line_end_c = Math.round(loop.lineC * 1e6) / 1e6;
  return out;
}
