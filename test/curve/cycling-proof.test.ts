import test from "ava";
import { cycleStats, cyclingLines, heatingDegreeDays, judgeCycling, onFromSpread, proofLines, proveSaving } from "../../analyser/curve/index.js";

const pattern = (runMin: number, pauseMin: number, minutes: number) => Uint8Array.from({ length: minutes }, (_, i) => (i % (runMin + pauseMin) < runMin ? 1 : 0));

test("cycle statistics: starts, runs and pauses; short-cycling flagged with the seed's causes", (t) => {
  const s = cycleStats(pattern(10, 10, 1440));
  t.is(s.starts, 71, "the first run began before the data");
  t.is(s.medianRunMin, 10);
  t.is(s.medianPauseMin, 10);
  t.is(s.maxStartsPerHour, 3);
  t.is(judgeCycling(s).shortCycling, true);
  t.deepEqual(judgeCycling(s, { flowLpm: 10, minFlowLpm: 14 }).causes, ["flow-below-minimum"]);
  t.deepEqual(judgeCycling(s, { returnRiseKPerMin: 0.6 }).causes, ["overflow-valve"]);
  t.deepEqual(judgeCycling(s, { outdoorC: 11, indexSurplusK: 1 }).causes, ["curve-too-high"]);
  const long = cycleStats(pattern(180, 60, 2880));
  t.false(judgeCycling(long).shortCycling, "hours-long cycles are what a balanced floor gives");
  t.true(cyclingLines(s, judgeCycling(s, { returnRiseKPerMin: 0.6 }), "de")[1].includes("Überströmventil"));
  t.deepEqual([...onFromSpread([30, 30, 25], [25, 29, 24.5])], [1, 0, 0]);
});

test("the proof: same-outdoor supply, COP gain estimated at 2.5 %/K or measured, kWh per degree-day", (t) => {
  const mk = (sup0: number) => Array.from({ length: 40 }, (_, i) => ({ outdoorC: -5 + i / 4, supplyC: sup0 - 0.3 * (-5 + i / 4) }));
  const p = proveSaving(
    { samples: mk(38), dailyOutdoorC: [0, 2, 4], heatKwh: 300, starts: 60, days: 3 },
    { samples: mk(35), dailyOutdoorC: [0, 2, 4], heatKwh: 290, starts: 30, days: 3 },
  );
  t.is(Math.round(p.loweredK!.value * 10) / 10, 3);
  t.is(Math.round(p.copGainPct!.value * 10) / 10, 7.5);
  t.false(p.copGainPct!.measured);
  t.is(heatingDegreeDays([0, 2, 4, 16]), 54);
  t.is(Math.round(p.kwhPerHddBefore!.value * 100) / 100, 5.56);
  const measured = proveSaving(
    { samples: mk(38), dailyOutdoorC: [0], heatKwh: 100, electricKwh: 30, days: 1 },
    { samples: mk(35), dailyOutdoorC: [0], heatKwh: 100, electricKwh: 28, days: 1 },
  );
  t.true(measured.copGainPct!.measured);
  const lines = proofLines(p, "en");
  t.true(lines[1].includes("estimated"), lines.join("\n"));
  t.true(proofLines(measured, "de")[1].includes("gemessen"));
});
