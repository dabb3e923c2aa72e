import test from "ava";
import { headFactors, manifoldHeads, pumpHeadKpa, waterSideKv } from "../../analyser/engine/network.js";
import { flowAtHead, kvAtTurns, pipeResistanceKpa, valveDropKpa } from "../../analyser/engine/physics.js";
import { houseOf, lockshield, meter } from "./fixtures.js";

const plant = (mode: string) => `plant: { heat_pump: { min_flow_lpm: 2 }, pump: { mode: ${mode}, head_kpa: 40, max_flow_lpm: 60 } }`;

function twoManifolds(mode: string) {
  return houseOf(
    [
      ...["a", "b", "c", "d"].map((id) => ({ id, valve: lockshield(2), manifold: "m1" })),
      ...["e", "f"].map((id) => ({ id, valve: meter(2), manifold: "m2" })),
    ],
    { manifolds: ["m1", "m2"], plant: plant(mode) },
  );
}

const asSet = (house: ReturnType<typeof twoManifolds>) => (id: string) => {
  const v = house.circuits.find((c) => c.id === id)!.valve;
  return v.kind === "flow-meter" ? v.setting_lpm : v.turns_open;
};

test("the heads balance the network: the pump's head less the water side and feeder drops, and the circuits pass what they draw", (t) => {
  const house = twoManifolds("constant");
  const heads = manifoldHeads(house, asSet(house));
  const h1 = heads.get("m1")!;
  const lockshields = house.circuits.filter((c) => c.manifold === "m1");
  const q1 = lockshields.reduce((a, c) => a + flowAtHead(h1, pipeResistanceKpa(c.length_m, c.pipe.inner_m), kvAtTurns(2, { kvs: 1, n0_turns: 0.45 })), 0);
  const total = q1 + 4;
  const feeder = pipeResistanceKpa(10, 0.026) * Math.pow(q1, 1.75);
  // The defaults: a 32x3 feeder of 10 m, the water side 7.3 kPa at 36 l/min.
  t.true(Math.abs(h1 + feeder + valveDropKpa(total, waterSideKv(house.plant.heat_pump)) - 40) < 0.01);
  t.true(Math.abs(waterSideKv(house.plant.heat_pump) - 8) < 0.05);
});

test("throttling several circuits raises their manifold's head; nothing changed, nothing moves", (t) => {
  const house = twoManifolds("constant");
  const none = headFactors(house, asSet(house), new Map());
  t.is(none.get("m1"), 1);
  const throttled = headFactors(house, asSet(house), new Map([["a", 0.25], ["b", 0.25], ["c", 0.25]]));
  t.true(throttled.get("m1")! > 1.01);
  // The other manifold gains a little too: less flow through the heat pump's water side.
  t.true(throttled.get("m2")! > 1);
  t.true(throttled.get("m2")! < throttled.get("m1")!);
});

test("a proportional pump lowers its head with the flow: the rise is smaller than on a constant one", (t) => {
  const changes = new Map([["a", 0.25], ["b", 0.25], ["c", 0.25]]);
  const constant = twoManifolds("constant");
  const proportional = twoManifolds("proportional");
  t.true(headFactors(proportional, asSet(proportional), changes).get("m1")! < headFactors(constant, asSet(constant), changes).get("m1")!);
  t.is(pumpHeadKpa(proportional.plant.pump, 30), 30);
  t.is(pumpHeadKpa(proportional.plant.pump, 90), 40);
});
