// The calibration fits against the simulator's physics: planted offsets and gains come back out of
// a simulated bundle, the in-place levelling is detected, noisy and far-off sensors are flagged.
import test from "ava";
import { fitBundle } from "../../analyser/calibration/bundle.js";
import { detectConvergence, detectStop, fitInPlace, standbyPair } from "../../analyser/calibration/in-place.js";
import { findStopWindows, harvest } from "../../analyser/calibration/harvest.js";
import { couplingSpreadSd, pairCoupling } from "../../analyser/calibration/coupling.js";
import { spreadUncertainty } from "../../analyser/calibration/uncertainty.js";
import { manifoldRoms } from "../../analyser/calibration/procedure.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { simulateBundle } from "../../simulator/calibration.js";
import type { SensorSpec } from "../../simulator/sensors.js";
import { fixture, START } from "./fixtures.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bundleOf(sensors: SensorSpec[], minutes = 80) {
  const f = fixture();
  const run = simulateBundle(f.house, sensors, { seed: 3, start: START, minutes });
  const data = readLineProtocol(run.text, { start: START, end: START + (minutes + 1) * 60 });
  return fitBundle(new Map(sensors.map((s) => [s.rom, data.byRom.get(s.rom)!])));
}

test("a bundle recovers each sensor's planted offset (relative to the group) within 0.05 K, and its gain", (t) => {
  const f = fixture();
  const sensors = f.sensors.filter((s) => s.node === f.bundle.node);
  const fit = bundleOf([...sensors]);
  t.true(fit.gainFitted);
  t.true(fit.coveredK >= 10);
  t.is(fit.sensors.length, sensors.length);
  // Offsets are relative to the group: compare after removing the median difference.
  const diffs = fit.sensors.map((c) => c.offset_k - sensors.find((s) => s.rom === c.rom)!.offsetK);
  const shift = median(diffs);
  for (const d of diffs) t.true(Math.abs(d - shift) < 0.05, `offset error ${d - shift}`);
  const spread = Math.max(...sensors.map((s) => s.offsetK)) - Math.min(...sensors.map((s) => s.offsetK));
  t.true(spread > 0.5, "the planted offsets differ enough for the test to mean something");
  const gainErr = fit.sensors.map((c) => c.gain! - (1 + sensors.find((s) => s.rom === c.rom)!.gain));
  const gShift = median(gainErr);
  // The pot is not perfectly mixed (a little gain-like), so gains come back to a few 0.001.
  t.true(median(gainErr.map((g) => Math.abs(g - gShift))) < 0.003);
  for (const g of gainErr) t.true(Math.abs(g - gShift) < 0.006, `gain error ${g - gShift}`);
});

test("a bundle flags a noisy sensor and a far-off sensor as replace, and no good one", (t) => {
  const f = fixture();
  const sensors = f.sensors.filter((s) => s.node === f.bundle.node).map((s) => ({ ...s, noiseK: 0.03, offsetK: Math.max(-0.5, Math.min(0.5, s.offsetK)) }));
  sensors[0] = { ...sensors[0], noiseK: 0.15 };
  sensors[1] = { ...sensors[1], offsetK: 2.0 };
  const fit = bundleOf(sensors);
  const verdict = new Map(fit.sensors.map((s) => [s.rom, s.replace]));
  t.is(verdict.get(sensors[0].rom), "noisy");
  t.is(verdict.get(sensors[1].rom), "far-off");
  t.deepEqual(sensors.slice(2).map((s) => verdict.get(s.rom)), sensors.slice(2).map(() => undefined));
});

test("a short bundle (< 8 K) fits offsets without gains and says it needs more time", (t) => {
  const f = fixture();
  const fit = bundleOf(f.sensors.filter((s) => s.node === f.bundle.node), 30);
  t.false(fit.gainFitted);
  t.false(fit.done);
  t.true(fit.remainingMin > 5 && fit.remainingMin < 90);
  t.true(fit.sensors.every((s) => s.gain === undefined));
});

test("in place: the stop is found near its true time, the circuit pipes level off, and the fit's circuit offsets beat no calibration", (t) => {
  const f = fixture();
  const data = readLineProtocol(f.inPlace.text, { start: f.inPlace.standbyAt - 3600, end: f.inPlace.endsAt + 60 });
  const roms = manifoldRoms(f.house, f.inPlace.manifold);
  const trueStop = (f.inPlace.stoppedAt - data.start) / 60;
  const returns = roms.circuits.map((r) => data.byRom.get(r)!);
  const stop = detectStop(returns, trueStop - 30, data.minutes);
  t.truthy(stop !== undefined && Math.abs(stop - trueStop) <= 6, `stop at ${stop}, truly ${trueStop}`);
  const circuits = new Map(roms.circuits.map((r) => [r, data.byRom.get(r)!]));
  const fit = fitInPlace(circuits, trueStop, data.minutes);
  const truth = new Map(f.sensors.map((s) => [s.rom, s.offsetK]));
  const errs = fit.map((c) => c.offset_k - truth.get(c.rom)!);
  const shift = median(errs);
  const rel = errs.map((e) => Math.abs(e - shift));
  const raw = fit.map((c) => Math.abs(truth.get(c.rom)! - median(fit.map((x) => truth.get(x.rom)!))));
  t.true(median(rel) < 0.15, `median in-place error ${median(rel)}`);
  t.true(median(rel) < median(raw), "better than no calibration");
});

function cooling(taus: number[], offsets: number[], minutes: number): Map<string, Float64Array> {
  return new Map(taus.map((tau, i) => [`R${i}`, Float64Array.from({ length: minutes }, (_, k) => (k < 10 ? 28 : 21 + 7 * Math.exp(-(k - 10) / tau)) + offsets[i] + 0.01 * Math.sin(k * 7.3 + i))]));
}

test("convergence: pipes with τ 10–20 min level off and are found to; a τ 80 min pipe keeps the tool waiting", (t) => {
  const fast = cooling([10, 15, 20], [0.2, -0.1, 0.05], 130);
  const conv = detectConvergence(fast, 10, 130);
  t.truthy(conv.convergedAt !== undefined && conv.convergedAt - 10 <= 110 && conv.convergedAt - 10 >= 40, `levelled at ${conv.convergedAt}`);
  const fit = fitInPlace(fast, 10, 130);
  const byRom = new Map(fit.map((f) => [f.rom, f.offset_k]));
  t.true(Math.abs(byRom.get("R0")! - byRom.get("R1")! - 0.3) < 0.03);
  const slow = detectConvergence(cooling([10, 80, 20], [0, 0, 0], 130), 10, 130);
  t.is(slow.convergedAt, undefined);
  t.is(slow.slowest?.rom, "R1");
  t.true(slow.waitMin > 10);
  const early = detectConvergence(fast, 10, 40);
  t.is(early.convergedAt, undefined, "half an hour after the stop nothing has levelled off yet");
});

test("the standby pair gives the supply's offset against the manifold return within 0.25 K", (t) => {
  const f = fixture();
  const data = readLineProtocol(f.inPlace.text, { start: f.inPlace.standbyAt - 3600, end: f.inPlace.endsAt + 60 });
  const roms = manifoldRoms(f.house, f.inPlace.manifold);
  const from = (f.inPlace.standbyAt - data.start) / 60;
  const stop = (f.inPlace.stoppedAt - data.start) / 60;
  const pair = standbyPair(data.byRom.get(roms.supply!)!, data.byRom.get(roms.ret!)!, from, stop)!;
  const truth = new Map(f.sensors.map((s) => [s.rom, s.offsetK]));
  t.truthy(pair);
  t.true(Math.abs(pair.offset_k - (truth.get(roms.supply!)! - truth.get(roms.ret!)!)) < 0.25);
});

test("harvest finds a stop of the circulation and none in ordinary operation", (t) => {
  const f = fixture();
  const roms = manifoldRoms(f.house, f.inPlace.manifold);
  const pick = (data: ReturnType<typeof readLineProtocol>) => new Map([roms.supply!, roms.ret!, ...roms.circuits].map((r) => [r, data.byRom.get(r)!]));
  // From just before the stop: the fixture's standby before it is a fall of its own (a power cut has none).
  const stopped = readLineProtocol(f.inPlace.text, { start: f.inPlace.stoppedAt - 10 * 60, end: f.inPlace.endsAt + 60 });
  const found = harvest(pick(stopped), roms.circuits, stopped.minutes);
  t.is(found.windows.length, 1);
  t.true(found.windows[0].weight > 0);
  // Only the sections that levelled off are calibrated from an unplanned stop.
  t.true(found.sensors.length >= 2 && found.sensors.length <= 2 + roms.circuits.length);
  t.true(found.sensors.every((c) => c.sd_k <= 0.1));
  const ordinary = readLineProtocol(f.inPlace.text, { start: f.inPlace.standbyAt - 3600, end: f.inPlace.standbyAt });
  t.deepEqual(findStopWindows(pick(ordinary), roms.circuits, ordinary.minutes), []);
});

test("pair coupling recovers a relative ε from a water that drifts against the air", (t) => {
  const air = 21;
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < 120; k++) {
    const w = 30 - k * 0.06;
    a.push(w - 0.07 * (w - air) + 0.2);
    b.push(w - 0.03 * (w - air) - 0.1);
  }
  const c = pairCoupling(a, b, air)!;
  // (θ_w − θ_air) is taken from the readings themselves, which carry ε: a bias of a few %.
  t.true(Math.abs(c.difference - 0.04) < 0.004);
  t.is(pairCoupling(a.slice(0, 10), b.slice(0, 10), air), null);
  t.true(couplingSpreadSd(35, 28, 21) > couplingSpreadSd(25, 23, 21));
});

test("an uncalibrated spread is not resolvable within a 0.4 K band and names both sensors; calibrated it is", (t) => {
  const raw = spreadUncertainty(4, 0.03, { rom: "S", level_c: 33, coverage: 1 }, { rom: "R", level_c: 28, coverage: 1 }, 0.4);
  t.false(raw.resolvable);
  t.deepEqual(raw.calibrate, ["S", "R"]);
  t.true(raw.interval.low < 4 && raw.interval.high > 4);
  const cal = spreadUncertainty(4, 0.03, { rom: "S", sd_k: 0.02, level_c: 33, coverage: 1 }, { rom: "R", sd_k: 0.02, level_c: 28, coverage: 1 }, 0.4);
  t.true(cal.resolvable);
  t.deepEqual(cal.calibrate, []);
  t.true(cal.interval.high - cal.interval.low < raw.interval.high - raw.interval.low);
  const gappy = spreadUncertainty(4, 0.03, { rom: "S", sd_k: 0.02, level_c: 33, coverage: 0.5 }, { rom: "R", sd_k: 0.02, level_c: 28, coverage: 1 }, 0.4);
  t.true(gappy.coverage_k > 0);
});
