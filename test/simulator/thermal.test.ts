import test from "ava";
import { loadHouseFile } from "../../shared/house/load.js";
import { floorKH, logMeanDelta } from "../../simulator/floor.js";
import { Twin } from "../../simulator/index.js";
import { CALM, START, smallHouse } from "./fixtures.js";

test("energy balance: heat-pump heat = floor heat + change in stored water energy over a week (within 1 %)", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const twin = new Twin(house, { start: START, seed: 3, spinUpDays: 0.5 });
  const a = twin.ledger();
  twin.runTo(START + 7 * 86400);
  const b = twin.ledger();
  const hp = b.heat_pump_j - a.heat_pump_j;
  const floor = b.floor_j - a.floor_j;
  const stored = b.water_stored_j - a.water_stored_j;
  t.true(hp > 1e9, `the heat pump delivered ${(hp / 3.6e6).toFixed(0)} kWh`);
  t.true(Math.abs(hp - floor - stored) / hp < 0.01, `imbalance ${((hp - floor - stored) / hp) * 100} %`);
});

test("EN 1264: at a design point the floor's output to the room is within 5 % of K_H·Δθ_H", (t) => {
  for (const floor of [
    { covering_r: 0.1, spacing_m: 0.15 },
    { covering_r: 0, spacing_m: 0.1 },
  ]) {
    const house = smallHouse({ curve: 35, circuits: [{ id: "a", length_m: 90, area_m2: 13, setting_lpm: 1.2, ...floor }] });
    const twin = new Twin(house, { start: START, spinUpDays: 0, initialC: 20, weather: CALM, sensorFaults: false });
    twin.runTo(START + 6 * 86400);
    t.is(twin.truth().heat_pump.state, "heating", "running steadily (load above the smallest output)");
    const c = twin.truth().circuits[0];
    const kH = floorKH({ ...floor, screed_m: 0.045 });
    const expected = kH * 13 * logMeanDelta(c.supply_c, c.return_c, c.room_c);
    t.true(c.supply_c - c.return_c > 2, `a real spread (${c.supply_c.toFixed(2)} → ${c.return_c.toFixed(2)})`);
    t.true(Math.abs(c.floor_to_room_w / expected - 1) < 0.05, `${JSON.stringify(floor)}: ${c.floor_to_room_w.toFixed(0)} W vs K_H·Δθ_H·A ${expected.toFixed(0)} W`);
  }
  // The table's anchor values.
  t.is(Math.round(floorKH({ covering_r: 0.1, spacing_m: 0.15, screed_m: 0.045 }) * 10) / 10, 3.4);
  t.is(Math.round(floorKH({ covering_r: 0, spacing_m: 0.1, screed_m: 0.045 }) * 10) / 10, 6.5);
});

test("transit time: 100 m of 16x2 at 1 l/min shows the hot front at the return after ≈ 11 min", (t) => {
  const house = smallHouse({ curve: 40, circuits: [{ id: "a", length_m: 100, area_m2: 14, setting_lpm: 1.0 }], feederM: 0 });
  const twin = new Twin(house, { start: START, spinUpDays: 0, initialC: 20, weather: CALM, sensorFaults: false });
  const samples: { t: number; supply: number; ret: number }[] = [];
  for (let s = 10; s <= 40 * 60; s += 10) {
    twin.runTo(START + s);
    const c = twin.truth().circuits[0];
    samples.push({ t: s, supply: c.supply_c, ret: c.return_c });
  }
  // The moment the supply front passes the manifold (half its rise) …
  const sMax = Math.max(...samples.map((x) => x.supply));
  const supplyHalf = samples.find((x) => x.supply >= 20 + 0.5 * (sMax - 20))!.t;
  // … and the moment the return has made half of the rise it shows within the run.
  const rMax = samples[samples.length - 1].ret;
  const returnHalf = samples.find((x) => x.ret >= 20 + 0.5 * (rMax - 20))!.t;
  const transitMin = (returnHalf - supplyHalf) / 60;
  t.true(transitMin > 9.5 && transitMin < 13, `transit ${transitMin.toFixed(1)} min`);
  // Flow read off the transit time: V / t.
  const volumeL = 100 * house.circuits[0].pipe.litres_per_m;
  const flow = volumeL / transitMin;
  t.true(Math.abs(flow - 1) < 0.15, `flow from transit ${flow.toFixed(2)} l/min`);
});

test("a valve change: the throttled circuit loses flow and gains spread, the others gain flow, rooms settle over hours", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const opts = { start: START, seed: 5, spinUpDays: 1, sensorFaults: false };
  const control = new Twin(house, opts);
  const changed = new Twin(house, opts);
  const change = START + 3600;
  control.runTo(change);
  changed.runTo(change);
  const before = changed.truth().circuits;
  changed.setValve("kind-1", { setting_lpm: 0.7 });
  const at = (twin: Twin, id: string) => twin.truth().circuits.find((c) => c.id === id)!;
  const afterNow = changed.truth().circuits;
  const k = before.findIndex((c) => c.id === "kind-1");
  t.true(afterNow[k].flow_lpm < before[k].flow_lpm - 1);
  for (const c of afterNow) if (c.manifold === "og-west" && c.id !== "kind-1") t.true(c.flow_lpm > before.find((b) => b.id === c.id)!.flow_lpm, `${c.id} gains flow`);

  // Spread (supply − return) while heating, averaged over the next 12 h, in both twins.
  const spread = (twin: Twin) => {
    const c = at(twin, "kind-1");
    return c.supply_c - c.return_c;
  };
  const roomDiff: number[] = [];
  let sumChanged = 0;
  let sumControl = 0;
  for (let h = 1; h <= 24; h++) {
    for (let m = 0; m < 60; m += 5) {
      const until = change + (h - 1) * 3600 + (m + 5) * 60;
      control.runTo(until);
      changed.runTo(until);
      if (h > 2 && h <= 14 && changed.truth().heat_pump.state === "heating" && control.truth().heat_pump.state === "heating") {
        sumChanged += spread(changed);
        sumControl += spread(control);
      }
    }
    roomDiff.push(at(changed, "kind-1").room_c - at(control, "kind-1").room_c);
  }
  t.true(sumChanged > sumControl * 1.3, `spread grows (${sumChanged.toFixed(0)} vs ${sumControl.toFixed(0)})`);
  t.true(roomDiff[23] < -0.3, `the room cools (${roomDiff[23].toFixed(2)} K after 24 h)`);
  t.true(Math.abs(roomDiff[0]) < 0.5 * Math.abs(roomDiff[23]), `not at once (${roomDiff[0].toFixed(2)} K after 1 h)`);
  t.true(Math.abs(roomDiff[5]) < Math.abs(roomDiff[23]), `still moving after 6 h (${roomDiff[5].toFixed(2)} K)`);
});

test("the example house: comfortable rooms, and Wohnen/Essen stays cooler", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const twin = new Twin(house, { start: START, seed: 1, spinUpDays: 3, sensorFaults: false });
  const sums = new Map<string, number>();
  let n = 0;
  for (let h = 1; h <= 48; h++) {
    twin.runTo(START + h * 3600);
    for (const [room, v] of twin.roomTemperatures()) sums.set(room, (sums.get(room) ?? 0) + v);
    n++;
  }
  const mean = new Map([...sums].map(([k, v]) => [k, v / n]));
  const living = ["Schlafen", "Kind 1", "Kind 2", "Büro", "Arbeitszimmer", "Gästezimmer", "Hobbyraum", "Galerie"];
  for (const room of living) {
    const v = mean.get(room)!;
    t.true(v > 19.5 && v < 23.5, `${room} ${v.toFixed(1)} °C is comfortable`);
  }
  const wohnen = mean.get("Wohnen/Essen")!;
  const coolestOther = Math.min(...living.map((r) => mean.get(r)!));
  t.true(wohnen < coolestOther - 0.5, `Wohnen/Essen ${wohnen.toFixed(1)} °C is cooler than every other living room (coolest ${coolestOther.toFixed(1)})`);
  t.true(wohnen > 17.5, "cool, not cold");
});

test("a pipe sensor lags the water by minutes and settles a little toward the air", (t) => {
  const house = smallHouse({ curve: 40, circuits: [{ id: "a", length_m: 60, area_m2: 9, setting_lpm: 1.0 }] });
  const twin = new Twin(house, { start: START, spinUpDays: 0, initialC: 20, weather: CALM, sensorFaults: false });
  const rom = house.manifolds[0].supply!.rom;
  const spec = twin.sensors.find((s) => s.rom === rom)!;
  let maxLag = 0;
  for (let s = 10; s <= 20 * 60; s += 10) {
    twin.runTo(START + s);
    const water = twin.truth().manifolds[0].supply_c;
    maxLag = Math.max(maxLag, water - (twin.sensorSurfaceC(rom)! - spec.offsetK));
  }
  t.true(maxLag > 1, `during the heating start the sensor trails the water by up to ${maxLag.toFixed(1)} K`);
  twin.runTo(START + 6 * 3600);
  const truth = twin.truth();
  const water = truth.manifolds[0].supply_c;
  const surface = twin.sensorSurfaceC(rom)! - spec.offsetK;
  const air = truth.circuits[0].room_c;
  const expected = water - spec.epsilon * (water - air);
  t.true(Math.abs(surface - expected) < 0.1, `steady: ${surface.toFixed(2)} vs ${expected.toFixed(2)} (water ${water.toFixed(2)})`);
  t.true(surface < water - 0.1, "reads a little low on a warm pipe");
});
