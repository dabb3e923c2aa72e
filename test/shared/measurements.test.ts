import test from "ava";
import { readFileSync } from "node:fs";
import { encodePoint, parseLine } from "../../shared/line-protocol.js";
import { nodeHealthPoint, REJECTION_REASONS, SPECS, specOf, temperaturePoint, NODE_HEALTH } from "../../shared/measurements.js";

test("docs/measurements.md names every measurement, tag and field of the code's schema", (t) => {
  const doc = readFileSync("docs/measurements.md", "utf8");
  for (const spec of SPECS) {
    t.true(doc.includes(`## \`${spec.name}\``), spec.name);
    for (const tag of Object.keys(spec.tags)) t.true(doc.includes(`| \`${tag}\` |`), `${spec.name} tag ${tag}`);
    for (const field of Object.keys(spec.fields)) t.true(doc.includes(`| \`${field}\` |`), `${spec.name} field ${field}`);
  }
});

test("builders produce exactly the fields and tags the schema declares, with their types", (t) => {
  const temp = parseLine(encodePoint(temperaturePoint({ node: "n1", bus: "0", rom: "28-0316a2794aff", celsius: 21, time: 10, mapped: false })));
  t.deepEqual(Object.keys(temp.tags).sort(), Object.keys(specOf("temperature").tags).sort());
  t.is(temp.fields.celsius, 21);
  t.is(temp.tags.mapped, "no");

  const health = nodeHealthPoint({
    node: "n1", time: 60, firmware: "0.1.0", uptime_s: 61, reset_reason: "power_on", rssi_dbm: -61, free_heap_bytes: 90000,
    sensors_found: 7, sensors_expected: 7, crc_errors: 1, rejected: { crc: 0, power_on: 1, disconnected: 0, range: 0, jump: 2 },
    buffered: 0, dropped: 0, dropped_bad_lines: 0, write_status: "ok", write_http_status: 204, cycle_ms: 812, clock_synced: true,
  });
  const spec = specOf(NODE_HEALTH);
  t.deepEqual(Object.keys(health.fields).sort(), Object.keys(spec.fields).sort());
  const line = encodePoint(health);
  for (const [name, f] of Object.entries(spec.fields)) {
    const pattern = f.type === "integer" ? `${name}=-?\\d+i` : f.type === "string" ? `${name}="` : f.type === "boolean" ? `${name}=(true|false)` : `${name}=-?[\\d.]+`;
    t.regex(line, new RegExp(`[ ,]${pattern}`), name);
  }
  t.is(REJECTION_REASONS.length, 5);
});
