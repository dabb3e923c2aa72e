import test from "ava";
import { parseHouseText } from "../../shared/house/index.js";
import { personAdjust, randomHouse, Twin } from "../../simulator/index.js";
import { START } from "./fixtures.js";

test("randomHouse(): valid houses within the stated ranges, the same for the same seed", (t) => {
  let lockshields = 0;
  let offSettings = 0;
  for (let seed = 1; seed <= 25; seed++) {
    const { house, yaml } = randomHouse(seed);
    t.deepEqual(parseHouseText(yaml).house, house, "the YAML is the house");
    t.true(house.manifolds.length >= 1 && house.manifolds.length <= 4);
    for (const m of house.manifolds) {
      const n = house.circuits.filter((c) => c.manifold === m.id).length;
      t.true(n >= 3 && n <= 12, `${n} circuits`);
    }
    for (const c of house.circuits) {
      t.true(c.length_m >= 20 && c.length_m <= 120);
      if (c.valve.kind === "lockshield") lockshields++;
      else if (c.valve.setting_lpm === 0.5 || c.valve.setting_lpm === 3) offSettings++;
    }
  }
  t.true(lockshields > 0, "some houses have lockshields");
  t.true(offSettings > 0, "some settings are at the ends of the scale");
  t.is(randomHouse(9).yaml, randomHouse(9).yaml);
  t.not(randomHouse(9).yaml, randomHouse(10).yaml);
  t.is(randomHouse(3, { manifolds: 4 }).house.manifolds.length, 4);
});

test("a random house runs in the twin with sane temperatures", (t) => {
  const { house } = randomHouse(21, { manifolds: 2 });
  const twin = new Twin(house, { start: START, seed: 21, spinUpDays: 2 });
  const truth = twin.truth();
  for (const c of truth.circuits) {
    t.true(c.room_c > 12 && c.room_c < 30, `${c.id} room ${c.room_c.toFixed(1)}`);
    t.true(c.flow_lpm >= 0 && c.flow_lpm < 6);
  }
});

test("personAdjust: a flow meter read to its scale step with ±5 %, a lockshield to 1/8 turn with backlash", (t) => {
  const flowHouse = randomHouse(2, { manifolds: 1 }).house;
  const fm = flowHouse.circuits.find((c) => c.valve.kind === "flow-meter");
  if (fm) {
    const twin = new Twin(flowHouse, { start: START, spinUpDays: 0 });
    for (let i = 0; i < 10; i++) {
      const r = personAdjust(twin, fm.id, { setting_lpm: 1.234 }, i);
      t.is(r.noted.setting_lpm, 1.2);
      t.true(Math.abs(r.actual.setting_lpm! / 1.2 - 1) <= 0.05 + 1e-9, `${r.actual.setting_lpm}`);
    }
  }
  let lockHouse = randomHouse(1).house;
  for (let s = 1; !lockHouse.circuits.some((c) => c.valve.kind === "lockshield"); s++) lockHouse = randomHouse(s).house;
  const ls = lockHouse.circuits.find((c) => c.valve.kind === "lockshield")!;
  const twin = new Twin(lockHouse, { start: START, spinUpDays: 0 });
  const before = twin.valve(ls.id).flow_lpm;
  const r = personAdjust(twin, ls.id, { turns_open: 0.3 }, 5);
  t.is(r.noted.turns_open, 0.25);
  t.true(r.actual.turns_open! <= 0.25 + 0.1 + 1e-9 && r.actual.turns_open! >= 0.25 - 0.1 - 1e-9);
  t.true(twin.valve(ls.id).flow_lpm < before, "closing a lockshield lowers its flow");
});
