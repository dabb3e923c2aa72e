import test from "ava";
import { analyse, analyseDetailed } from "../../analyser/measurement/analyse.js";
import { median } from "../../analyser/measurement/stats.js";
import { ROMS, synthetic } from "./fixture.js";

// One 48 h synthetic manifold shared by the tests of this file (generated once).
const syn = synthetic({ hours: 48 });
const detail = analyseDetailed(syn.house, syn.data);
const circuits = detail.result.manifolds[0].circuits;

test("spread per circuit matches the true water spread over the minutes it used", (t) => {
  for (const [k, c] of circuits.entries()) {
    t.is(c.status, "ok", c.reason);
    const mask = detail.masks.get(c.circuit)!;
    const truth = median(syn.trueSpread[k].filter((_, i) => mask[i] === 1));
    t.true(Math.abs(c.spread!.median_k - truth) < 0.1, `${c.circuit}: ${c.spread!.median_k} vs ${truth}`);
    t.true(c.spread!.ci.low < c.spread!.median_k && c.spread!.median_k < c.spread!.ci.high);
    t.true(c.spread!.segments >= 8, `segments ${c.spread!.segments}`);
  }
});

test("start-up transients are left out: the naive mean of all minutes is far off, ours is not", (t) => {
  const k = 0;
  const S = syn.data.byRom.get(ROMS.supply)!;
  const R = syn.data.byRom.get(ROMS.circuits[k])!;
  let naive = 0;
  for (let i = 0; i < S.length; i++) naive += (S[i] - R[i]) / S.length;
  const truthSteady = 9 * 0.55; // lift 9 K, 55 % of it given up in the floor
  t.true(Math.abs(circuits[k].spread!.median_k - truthSteady) < 0.1);
  t.true(Math.abs(naive - truthSteady) > 1, `naive ${naive}`);
});

test("transit time gives the absolute flow within 10 %", (t) => {
  for (const [k, c] of circuits.entries()) {
    const f = c.flow.transit_lpm!;
    t.truthy(f, c.circuit);
    t.true(Math.abs(f.value - syn.flows[k]) / syn.flows[k] < 0.1, `${c.circuit}: ${f.value} vs ${syn.flows[k]}`);
    t.true(f.sd > 0);
  }
  t.true(detail.result.heating.starts >= 10);
});

test("mixing shares are a proper split with uncertainty, and the estimates combine", (t) => {
  const shares = circuits.map((c) => c.flow.share!);
  t.true(Math.abs(shares.reduce((s, x) => s + x.value, 0) - 1) < 1e-3);
  for (const s of shares) t.true(s.value >= 0 && s.sd > 0);
  for (const c of circuits) {
    t.truthy(c.flow.combined_lpm);
    const lo = Math.min(c.flow.mixing_lpm!.value, c.flow.transit_lpm!.value);
    const hi = Math.max(c.flow.mixing_lpm!.value, c.flow.transit_lpm!.value);
    t.true(c.flow.combined_lpm!.value >= lo - 1e-9 && c.flow.combined_lpm!.value <= hi + 1e-9);
  }
});

test("heat output is relative within the manifold and absolute per m²", (t) => {
  const rel = circuits.reduce((s, c) => s + c.heat!.relative, 0);
  t.true(Math.abs(rel - 1) < 0.01);
  const a = circuits[0];
  const expected = (a.flow.combined_lpm!.value / 60) * 4160 * a.spread!.median_k;
  t.true(Math.abs(a.heat!.watts! - expected) / expected < 0.02);
  t.true(Math.abs(a.heat!.w_per_m2! - a.heat!.watts! / 20) < 0.1);
});

test("a stored offset is applied to the spread and shown in the result", (t) => {
  // The return sensor reads 0.3 K high: subtracting it widens the spread by 0.3 K.
  const shifted = analyse(syn.house, syn.data, { calibration: { [ROMS.circuits[0]]: 0.3 } });
  const a = shifted.manifolds[0].circuits[0];
  t.true(Math.abs(a.spread!.median_k - (circuits[0].spread!.median_k + 0.3)) < 0.02);
  t.deepEqual(
    shifted.calibration.find((c) => c.rom === ROMS.circuits[0]),
    { rom: ROMS.circuits[0], offset_k: 0.3, sd_k: 0.05, source: "stored" },
  );
  t.is(shifted.sensors.find((s) => s.rom === ROMS.circuits[0])!.offset_k, 0.3);
});

test("too few heating minutes: not enough data, with the reason, and no estimates", (t) => {
  const short = synthetic({ hours: 1 });
  const r = analyse(short.house, short.data);
  for (const c of r.manifolds[0].circuits) {
    t.is(c.status, "not-enough-data");
    t.regex(c.reason!, /heating-active minutes .*needs 60/);
    t.is(c.spread, undefined);
  }
});

test("a dead supply sensor disables its manifold, with a warning", (t) => {
  const dead = synthetic({ hours: 12, deadSupply: true });
  const r = analyse(dead.house, dead.data);
  const m = r.manifolds[0];
  t.is(m.status, "not-enough-data");
  t.regex(m.reason!, /supply sensor 28-0316a2795f77 .* is dead/);
  t.true(m.circuits.every((c) => c.status === "not-enough-data" && !c.spread));
  t.true(r.warnings.some((w) => /whole manifold is left out/.test(w)));
  t.false(r.sensors.find((s) => s.rom === ROMS.supply)!.reporting_now);
});

test("a stuck return sensor makes its circuit not-enough-data and leaves the others", (t) => {
  const x = syn.data.byRom.get(ROMS.circuits[1])!.slice();
  x.fill(27.5, 600, 900);
  const data = { ...syn.data, byRom: new Map(syn.data.byRom).set(ROMS.circuits[1], x) };
  const r = analyse(syn.house, data);
  const b = r.manifolds[0].circuits[1];
  t.is(b.status, "not-enough-data");
  t.regex(b.reason!, /stuck/);
  t.is(r.manifolds[0].circuits[0].status, "ok");
  t.true(r.sensors.find((s) => s.rom === ROMS.circuits[1])!.stuck);
});

test("glitches and gaps are counted per sensor and glitches do not move the spread", (t) => {
  const x = syn.data.byRom.get(ROMS.circuits[0])!.slice();
  for (let i = 100; i < x.length; i += 47) x[i] += 20;
  x.fill(NaN, 1000, 1030);
  const data = { ...syn.data, byRom: new Map(syn.data.byRom).set(ROMS.circuits[0], x) };
  const r = analyse(syn.house, data);
  const q = r.sensors.find((s) => s.rom === ROMS.circuits[0])!;
  t.true(q.glitch_rate > 0.01, `${q.glitch_rate}`);
  t.is(q.gaps, 1);
  t.is(q.longest_gap_min, 30);
  t.true(q.coverage < 1 && q.coverage > 0.95);
  t.true(Math.abs(r.manifolds[0].circuits[0].spread!.median_k - circuits[0].spread!.median_k) < 0.05);
});

test("a ROM that is not in the house file is reported as unknown", (t) => {
  const rom = "28-0000000000aa";
  const data = { ...syn.data, byRom: new Map(syn.data.byRom).set(rom, new Float64Array(syn.data.minutes).fill(21)), seen: new Map([[rom, { node: "n1", bus: "0", last_seen: 1 }]]) };
  const r = analyse(syn.house, data);
  t.deepEqual(r.unknown_sensors, [{ rom, node: "n1", bus: "0", last_seen: 1 }]);
  t.true(r.warnings.some((w) => w.includes(rom)));
});

test("a heat-pump state signal that says not heating removes the minutes", (t) => {
  const heating = new Uint8Array(syn.data.minutes).fill(0);
  const r = analyse(syn.house, { ...syn.data, signals: { heat_pump_heating: heating } });
  t.true(r.manifolds[0].circuits.every((c) => c.status === "not-enough-data"));
  const on = analyse(syn.house, { ...syn.data, signals: { heat_pump_heating: new Uint8Array(syn.data.minutes).fill(1) } });
  t.is(on.manifolds[0].circuits[0].spread!.median_k, circuits[0].spread!.median_k);
});

test("the result is plain JSON", (t) => {
  const copy = JSON.parse(JSON.stringify(detail.result));
  t.deepEqual(copy, detail.result);
});

test("a defrost (the supply dips mid-run) is cut out, with the minutes after it until the returns catch up", (t) => {
  const S = syn.data.byRom.get(ROMS.supply)!.slice();
  // The synthetic heats for 150 of every 240 min: dip at minute 100 of the second run.
  const at = 240 + 100;
  for (let i = at; i < at + 6; i++) S[i] -= 4;
  const data = { ...syn.data, byRom: new Map(syn.data.byRom).set(ROMS.supply, S) };
  const d = analyseDetailed(syn.house, data);
  for (const c of d.result.manifolds[0].circuits) {
    const mask = d.masks.get(c.circuit)!;
    for (let i = at; i < at + 6 + 5; i++) t.is(mask[i], 0, `${c.circuit} minute ${i}`);
    t.is(detail.masks.get(c.circuit)![at], 1);
    t.true(Math.abs(c.spread!.median_k - circuits.find((x) => x.circuit === c.circuit)!.spread!.median_k) < 0.05);
  }
});
