import test from "ava";
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { controllerOf, targetAtC } from "../../analyser/curve/index.js";
import { parseHouseText } from "../../shared/house/index.js";
import { SIGNAL_PRESETS } from "../../shared/house/presets.js";

const example = parse(readFileSync("examples/house.yaml", "utf8"));
const withPlant = (plant: object) => stringify({ ...example, plant: { ...example.plant, ...plant } });

test("the controller defaults to Lambda on heating_curve; Luxtronik and generic read their own terms", (t) => {
  const lambda = controllerOf(parseHouseText(stringify(example)).house);
  t.is(lambda.kind, "lambda");
  t.is(lambda.step_k, 0.1);
  t.is(targetAtC(lambda, 0), 34);
  const lux = controllerOf(parseHouseText(withPlant({ heat_pump: { ...example.plant.heat_pump, controller: { kind: "luxtronik", end_point_c: 32, offset_c: 21, fhem_device: "WP" } } })).house);
  t.deepEqual(lux, { kind: "luxtronik", step_k: 0.5, curve: { end_point_c: 32, offset_c: 21 }, fhem_device: "WP" });
  const gen = controllerOf(parseHouseText(withPlant({ heat_pump: { ...example.plant.heat_pump, controller: { kind: "generic", slope: 0.4 } } })).house);
  t.is(targetAtC(gen, -10), 32);
});

test("a bad controller is rejected with the path", (t) => {
  const err = t.throws(() => parseHouseText(withPlant({ heat_pump: { ...example.plant.heat_pump, controller: { kind: "luxtronik", end_point_c: 90, offset_c: 21 } } }))) as Error & { issues: { path: (string | number)[] }[] };
  t.deepEqual(err.issues[0].path, ["plant", "heat_pump", "controller", "end_point_c"]);
});

test("signal presets fill ESPAltherma's and pyHPSU's names; explicit signals win", (t) => {
  const h = parseHouseText(withPlant({ signals: { preset: "espaltherma" } })).house;
  t.is(h.plant.signals.outdoor_temperature?.field, "Outdoor air temp.");
  t.is(h.plant.signals.heat_pump_flow?.field, "Flow sensor (l/min)");
  t.deepEqual(h.plant.signals.heat_pump_state?.heating, ["Heating"]);
  const own = parseHouseText(withPlant({ signals: { preset: "pyhpsu", outdoor_temperature: { measurement: "weather", field: "t" } } })).house;
  t.is(own.plant.signals.outdoor_temperature?.measurement, "weather");
  t.is(own.plant.signals.heat_pump_return?.field, "t_return");
  t.is(own.plant.signals.heat_pump_flow?.scale, 1 / 60, "pyHPSU logs l/h");
  t.truthy(SIGNAL_PRESETS.pyhpsu.heat_pump_state);
});

test("an outdoor DS18B20 must sit on a known node and not reuse a ROM", (t) => {
  const ok = parseHouseText(withPlant({ outdoor_sensor: { rom: "28-0316a27c0001", node: "hkv-eg-sued" } }));
  t.truthy(ok.house.plant.outdoor_sensor);
  const issue = (plant: object) => (t.throws(() => parseHouseText(withPlant(plant))) as Error & { issues: { message: string }[] }).issues[0].message;
  t.regex(issue({ outdoor_sensor: { rom: "28-0316a27c0001", node: "garage" } }), /garage/);
  t.regex(issue({ outdoor_sensor: { rom: "28-0316a2795f77", node: "hkv-eg-sued" } }), /already used/);
});
