import test from "ava";
import { readFileSync } from "node:fs";
import { Document, parseDocument } from "yaml";
import { formatIssue, HouseFileError, parseHouseText, sensorIndex, type HouseIssue } from "../../shared/house/index.js";

const EXAMPLE = readFileSync("examples/house.yaml", "utf8");

/** Apply an edit to the example through the yaml Document API and return the new text. */
function edited(edit: (doc: Document) => void): string {
  const doc = parseDocument(EXAMPLE);
  edit(doc);
  return doc.toString();
}

function errorsOf(text: string): HouseIssue[] {
  try {
    parseHouseText(text, "house.yaml");
  } catch (err) {
    if (err instanceof HouseFileError) return err.issues.filter((i) => i.severity === "error");
    throw err;
  }
  return [];
}

test("the example house is valid: 4 manifolds, 23 circuits, 31 sensors, no warnings", (t) => {
  const { house, warnings } = parseHouseText(EXAMPLE);
  t.is(house.manifolds.length, 4);
  t.deepEqual(
    house.manifolds.map((m) => house.circuits.filter((c) => c.manifold === m.id).length),
    [8, 5, 5, 5],
  );
  t.is(house.circuits.length, 23);
  t.is(sensorIndex(house).size, 31);
  t.is(house.nodes.length, 4);
  t.deepEqual(warnings, []);
});

test("the example's settings span the installer's 0.5…3.0 l/min and the living room is on the largest", (t) => {
  const { house } = parseHouseText(EXAMPLE);
  const settings = house.circuits.map((c) => (c.valve.kind === "flow-meter" ? c.valve.setting_lpm : NaN));
  t.is(Math.min(...settings), 0.5);
  t.is(Math.max(...settings), 3.0);
  t.true(house.circuits.some((c) => c.room === "Wohnen/Essen" && c.room_model && c.room_model.window_m2 > 0));
});

const firstSensor = (doc: Document) => String(doc.getIn(["manifolds", 0, "supply"]));

const CASES: { name: string; edit: (doc: Document) => void; path: string; message: RegExp }[] = [
  {
    name: "a duplicate ROM",
    edit: (doc) => doc.setIn(["manifolds", 1, "supply"], firstSensor(doc)),
    path: "manifolds[1].supply",
    message: /already used at manifolds\[0\]\.supply/,
  },
  {
    name: "a ROM with a bad CRC",
    edit: (doc) => doc.setIn(["manifolds", 0, "return"], "28FF4A79A2160303"),
    path: "manifolds[0].return",
    message: /CRC/,
  },
  {
    name: "a sensor on an unknown node",
    edit: (doc) => doc.setIn(["circuits", 2, "sensor"], doc.createNode({ rom: String(doc.getIn(["circuits", 2, "sensor"])), node: "hkv-keller" })),
    path: "circuits[2].sensor.node",
    message: /node "hkv-keller", which is not among the nodes/,
  },
  {
    name: "a circuit on an unknown manifold",
    edit: (doc) => doc.setIn(["circuits", 5, "manifold"], "dg"),
    path: "circuits[5].manifold",
    message: /manifold "dg" is not among the manifolds/,
  },
  {
    name: "a setting outside the valve's scale",
    edit: (doc) => doc.setIn(["circuits", 3, "valve", "setting_lpm"], 3.4),
    path: "circuits[3].valve.setting_lpm",
    message: /outside the valve's scale 0\.5–3 l\/min/,
  },
  {
    name: "a missing required field",
    edit: (doc) => doc.deleteIn(["circuits", 7, "area_m2"]),
    path: "circuits[7].area_m2",
    message: /required/,
  },
  {
    name: "a wrong type",
    edit: (doc) => doc.setIn(["circuits", 4, "length_m"], "long"),
    path: "circuits[4].length_m",
    message: /expected number, got string "long"/,
  },
  {
    name: "an unknown time zone",
    edit: (doc) => doc.setIn(["site", "timezone"], "Europe/Bonn"),
    path: "site.timezone",
    message: /IANA time zone/,
  },
  {
    name: "a misspelt key",
    edit: (doc) => doc.setIn(["circuits", 0, "lenght_m"], 80),
    path: "circuits[0]",
    message: /unknown key "lenght_m"/,
  },
];

for (const c of CASES) {
  test(`an error names the offending path: ${c.name}`, (t) => {
    const errors = errorsOf(edited(c.edit));
    const hit = errors.find((e) => formatIssue("house.yaml", e).includes(` ${c.path}: `));
    t.truthy(hit, `expected an error at ${c.path}, got:\n${errors.map((e) => formatIssue("house.yaml", e)).join("\n")}`);
    t.regex(hit!.message, c.message);
    t.true((hit!.line ?? 0) > 1, "the error carries a line number");
  });
}

test("line and column point at the offending value", (t) => {
  const text = edited((doc) => doc.setIn(["circuits", 3, "valve", "setting_lpm"], 3.4));
  const [err] = errorsOf(text);
  const line = text.split("\n")[err.line! - 1];
  t.regex(line, /setting_lpm: 3\.4/);
});

test("a long circuit and a too-short interval are warnings, not errors", (t) => {
  const text = edited((doc) => {
    doc.setIn(["circuits", 0, "length_m"], 135);
    doc.setIn(["nodes", 1, "interval_s"], 1);
  });
  const { warnings } = parseHouseText(text);
  t.true(warnings.some((w) => w.path.join(".") === "circuits.0.length_m" && /longer than the 120 m/.test(w.message)));
  t.true(warnings.some((w) => w.path.join(".") === "nodes.1.interval_s" && /conversion/.test(w.message)));
});

test("YAML syntax errors carry a line number", (t) => {
  const errors = errorsOf("site:\n  name: x\n  name: y\n");
  t.true(errors.length > 0);
  t.truthy(errors[0].line);
  t.regex(errors[0].message, /YAML syntax/);
});

test("ROM spellings in the house file are normalised to the w1 form", (t) => {
  const text = edited((doc) => doc.setIn(["manifolds", 0, "supply"], "0316A2794AFF"));
  const { house } = parseHouseText(text);
  t.is(house.manifolds[0].supply!.rom, "28-0316a2794aff");
});
