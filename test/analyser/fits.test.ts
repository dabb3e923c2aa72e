import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fitMixing } from "../../analyser/measurement/mixing.js";
import { estimateOffsets, isothermalMinutes } from "../../analyser/measurement/calibration.js";
import { mergeCalibration } from "../../analyser/measurement/calibration.js";
import { loadCalibration, saveCalibration } from "../../analyser/state/calibration-file.js";
import { projectSimplex } from "../../analyser/measurement/linalg.js";
import { steepestRise } from "../../analyser/measurement/transit.js";
import { placements } from "../../analyser/sources/influx.js";
import { UserError } from "../../shared/errors.js";

function walk(n: number, seed: number): Float64Array {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const x = new Float64Array(n);
  let v = 28;
  for (let i = 0; i < n; i++) x[i] = v += rand();
  return x;
}

test("mixing recovers the flow-weighted shares when the returns move independently", (t) => {
  const n = 600;
  const xs = [walk(n, 1), walk(n, 2), walk(n, 3)];
  const w = [0.5, 0.3, 0.2];
  const y = new Float64Array(n).map((_, i) => 0.4 + xs.reduce((s, x, k) => s + w[k] * x[i], 0));
  const fit = fitMixing({ manifoldReturn: y, circuitReturns: xs, mask: new Uint8Array(n).fill(1) })!;
  fit.shares.forEach((s, k) => t.true(Math.abs(s - w[k]) < 0.01, `${k}: ${s}`));
  t.true(Math.abs(fit.shares.reduce((a, b) => a + b, 0) - 1) < 1e-9);
});

test("mixing keeps shares non-negative and leans on the meters' prior when the data cannot tell", (t) => {
  const n = 300;
  const x = walk(n, 5);
  // Two identical returns: only the prior can split them.
  const fit = fitMixing({ manifoldReturn: x, circuitReturns: [x, x.slice()], mask: new Uint8Array(n).fill(1), prior: [0.7, 0.3] })!;
  t.true(Math.abs(fit.shares[0] - 0.7) < 0.05 && Math.abs(fit.shares[1] - 0.3) < 0.05, `${fit.shares}`);
  t.true(fit.shares.every((s) => s >= 0));
  t.true(fitMixing({ manifoldReturn: x, circuitReturns: [x], mask: new Uint8Array(n) }) === null);
});

test("simplex projection", (t) => {
  t.deepEqual(projectSimplex([0.2, 0.3, 0.5]).map((x) => Math.round(x * 1e9) / 1e9), [0.2, 0.3, 0.5]);
  t.deepEqual(projectSimplex([2, 0, 0]), [1, 0, 0]);
  const p = projectSimplex([-1, 0.5, 0.9]);
  t.true(p[0] === 0 && Math.abs(p[1] + p[2] - 1) < 1e-12);
});

test("the steepest rise is found to within a fraction of a minute", (t) => {
  const x = new Float64Array(60).map((_, i) => 25 + 5 / (1 + Math.exp(-(i - 30.4) / 2)));
  const at = steepestRise(x, 5, 55, 0.05)!;
  t.true(Math.abs(at - 30.4) < 0.2, `${at}`);
  t.is(steepestRise(new Float64Array(60).fill(25), 5, 55, 0.05), null);
});

test("isothermal periods give supply/return offsets; circuit offsets are shrunk towards the prior", (t) => {
  const n = 200;
  const water = new Float64Array(n).fill(24);
  const s = water.map((v) => v + 0.3);
  const r = water.map((v) => v - 0.1);
  const s2 = water.map((v) => v);
  const r2 = water.map((v) => v - 0.05);
  const c = water.map((v) => v + 1.0);
  const mask = isothermalMinutes(
    [
      { supply: s, ret: r },
      { supply: s2, ret: r2 },
    ],
    new Uint8Array(n),
  );
  // 10 minutes to show steadiness, then the first half hour is skipped.
  t.is(mask.reduce((a, b) => a + b, 0), n - 40);
  const est = estimateOffsets(
    [
      { rom: "S", x: s },
      { rom: "R", x: r },
      { rom: "S2", x: s2 },
      { rom: "R2", x: r2 },
    ],
    [{ rom: "C", x: c }],
    mask,
  );
  const byRom = Object.fromEntries(est.map((e) => [e.rom, e.offset_k]));
  // Median of the four readings is 24 − 0.025: offsets relative to it.
  t.true(Math.abs(byRom.S - 0.325) < 1e-9 && Math.abs(byRom.R + 0.075) < 1e-9);
  t.true(byRom.C > 0 && byRom.C < 0.2, `${byRom.C}`);
  // Heat flowing: no isothermal minutes, no estimates.
  t.is(isothermalMinutes([{ supply: s, ret: r }], new Uint8Array(n).fill(1)).reduce((a, b) => a + b, 0), 0);
});

test("the calibration store round-trips, keeps other sensors, and rejects a broken file", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-cal-"));
  try {
    const file = join(dir, "sub", "cal.json");
    t.deepEqual(loadCalibration(file), {});
    const store = mergeCalibration({ A: { offset_k: 0.1, sd_k: 0.1, updated: 1 } }, [{ rom: "B", offset_k: -0.2, sd_k: 0.05, source: "isothermal" }, { rom: "A", offset_k: 9, sd_k: 1, source: "stored" }], 5);
    saveCalibration(file, store);
    t.deepEqual(loadCalibration(file), { A: { offset_k: 0.1, sd_k: 0.1, updated: 1 }, B: { offset_k: -0.2, sd_k: 0.05, updated: 5 } });
    writeFileSync(file, "{nope");
    t.throws(() => loadCalibration(file), { instanceOf: UserError, message: /not valid JSON/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("series keys give each ROM its node and bus", (t) => {
  const m = placements(["temperature,bus=0,mapped=yes,node=hkv-eg,rom=28-0316a2794aff", "temperature,bus=a\\,b,mapped=no,node=n2,rom=28-0000000000aa"]);
  t.deepEqual(m.get("28-0316a2794aff"), { node: "hkv-eg", bus: "0" });
  t.deepEqual(m.get("28-0000000000aa"), { node: "n2", bus: "a,b" });
});
