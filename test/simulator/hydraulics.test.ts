import test from "ava";
import { loadHouseFile } from "../../shared/house/load.js";
import { pressureDropPaPerM } from "../../simulator/pipe.js";
import { parsePipe } from "../../shared/house/index.js";
import { solveNetwork, type Network } from "../../simulator/hydraulics.js";
import { lockshieldKv, lockshieldTurns } from "../../simulator/valve.js";
import { Twin } from "../../simulator/index.js";
import { START, smallHouse } from "./fixtures.js";

test("pressure drop per metre of 16x2 matches the domain table within 15 %", (t) => {
  const inner = parsePipe("16x2").inner_m;
  for (const [flow, table] of [
    [1, 40],
    [2, 136],
    [3, 276],
  ]) {
    const dp = pressureDropPaPerM(flow, inner);
    t.true(Math.abs(dp / table - 1) < 0.15, `${flow} l/min: ${dp.toFixed(1)} Pa/m vs ${table}`);
  }
  // Laminar at low flow: doubling flow doubles the drop.
  t.true(Math.abs(pressureDropPaPerM(0.2, inner) / pressureDropPaPerM(0.1, inner) - 2) < 1e-9);
});

test("a flow-meter setting becomes a kv that makes the meter read the setting", (t) => {
  const house = smallHouse({
    circuits: [
      { id: "a", length_m: 80, area_m2: 12, setting_lpm: 1.5 },
      { id: "b", length_m: 40, area_m2: 6, setting_lpm: 0.8 },
      { id: "c", length_m: 60, area_m2: 9, setting_lpm: 1.2 },
    ],
  });
  const twin = new Twin(house, { start: START, spinUpDays: 0 });
  const flows = twin.truth().circuits.map((c) => c.flow_lpm);
  t.deepEqual(
    flows.map((f) => Math.round(f * 1000) / 1000),
    [1.5, 0.8, 1.2],
  );
});

test("a setting the pipe cannot carry leaves the valve fully open and the meter reading less", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const twin = new Twin(house, { start: START, spinUpDays: 0 });
  const wohnen = twin.truth().circuits.find((c) => c.id === "wohnen-1")!;
  t.true(wohnen.flow_lpm < 3 - 0.05, `96 m at 3 l/min needs more head than the manifold has (${wohnen.flow_lpm.toFixed(2)})`);
  t.true(wohnen.flow_lpm > 2, "but it is open, so it still carries most of it");
  t.is(Math.round(twin.truth().circuits.find((c) => c.id === "kueche")!.flow_lpm * 100) / 100, 1.9);
});

test("closing one valve raises the flow in the others (constant-pressure pump)", (t) => {
  const house = smallHouse({
    pump: "constant",
    feederM: 30,
    circuits: [
      { id: "a", length_m: 80, area_m2: 12, setting_lpm: 2.0 },
      { id: "b", length_m: 40, area_m2: 6, setting_lpm: 1.0 },
      { id: "c", length_m: 60, area_m2: 9, setting_lpm: 1.5 },
    ],
  });
  const twin = new Twin(house, { start: START, spinUpDays: 0 });
  const before = twin.truth().circuits.map((c) => c.flow_lpm);
  twin.setValve("a", { setting_lpm: 0.5 });
  const after = twin.truth().circuits.map((c) => c.flow_lpm);
  t.true(Math.abs(after[0] - 0.5) < 1e-6, "a reads its new setting");
  t.true(after[1] > before[1] && after[2] > before[2], `others gain (${before.slice(1)} → ${after.slice(1)})`);
});

test("closing one valve raises the flow in the others (example house, proportional pump)", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const twin = new Twin(house, { start: START, spinUpDays: 0 });
  const before = twin.truth().circuits;
  twin.setValve("kueche", { setting_lpm: 0.8 });
  const after = twin.truth().circuits;
  for (let i = 0; i < before.length; i++) {
    if (before[i].id === "kueche") t.true(Math.abs(after[i].flow_lpm - 0.8) < 1e-6);
    else t.true(after[i].flow_lpm > before[i].flow_lpm, `${before[i].id} gains`);
  }
});

test("the network solution satisfies every branch equation", (t) => {
  const net: Network = {
    pump: { mode: "constant", headPa: 40000, maxFlowLpm: 60 },
    heatPumpKv: 8,
    manifolds: [
      { feederM: 20, feederInnerM: 0.026, circuits: [{ lengthM: 90, innerM: 0.012, kv: 0.5, kvs: 1.2 }, { lengthM: 30, innerM: 0.012, kv: 0.2, kvs: 1.2 }] },
      { feederM: 40, feederInnerM: 0.026, circuits: [{ lengthM: 70, innerM: 0.012, kv: 1.2, kvs: 1.2 }] },
    ],
  };
  const sol = solveNetwork(net);
  const sum = sol.circuits.flat().reduce((a, b) => a + b, 0);
  t.true(Math.abs(sum - sol.totalLpm) < 1e-4);
  t.true(sol.manifolds[0].headPa > sol.manifolds[1].headPa, "the longer feeder leaves less head");
});

test("lockshield kv(n) = kvs(1 − e^(−n/n0)) and its inverse agree", (t) => {
  for (const n of [0.125, 0.5, 1, 2, 3.5]) {
    const kv = lockshieldKv(n, 1.0, 0.45);
    t.true(Math.abs(lockshieldTurns(kv, 1.0, 0.45, 4) - n) < 1e-9);
  }
  // Low authority near fully open: the last turn changes kv by less than 10 %.
  t.true(lockshieldKv(4, 1, 0.45) / lockshieldKv(3, 1, 0.45) < 1.1);
});
