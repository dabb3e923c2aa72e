import test from "ava";
import { encodePoint } from "../../shared/line-protocol.js";
import { nodeHealthPoint, temperaturePoint, type NodeHealth } from "../../shared/measurements.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { lastTimestamp } from "../../analyser/sources/run.js";

const T0 = 1_800_000_000; // minute-aligned
const ROM = "28-0316a2795f77";

function health(time: number, uptime: number, crc: number, power: number): NodeHealth {
  return {
    node: "n1", time, firmware: "1.0.0", uptime_s: uptime, reset_reason: "power_on", rssi_dbm: -60, free_heap_bytes: 1000,
    sensors_found: 3, sensors_expected: 3, crc_errors: 0,
    rejected: { crc, power_on: power, disconnected: 0, range: 0, jump: 0 },
    buffered: 0, dropped: 2, dropped_bad_lines: 0, write_status: "ok", write_http_status: 204, cycle_ms: 800, clock_synced: true,
  };
}

test("readings become per-minute means per ROM; the window bounds are honoured", (t) => {
  const lines = [
    temperaturePoint({ node: "n1", bus: "0", rom: ROM, celsius: 30, time: T0 - 10, mapped: true }), // before the window
    temperaturePoint({ node: "n1", bus: "0", rom: ROM, celsius: 30, time: T0 + 5, mapped: true }),
    temperaturePoint({ node: "n1", bus: "0", rom: ROM, celsius: 31, time: T0 + 55, mapped: true }),
    temperaturePoint({ node: "n1", bus: "1", rom: "28-0000000000aa", celsius: 20, time: T0 + 125, mapped: false }),
    temperaturePoint({ node: "n1", bus: "0", rom: ROM, celsius: 40, time: T0 + 180, mapped: true }), // at the end: excluded
  ].map(encodePoint);
  const s = readLineProtocol("# comment\n" + lines.join("\n") + "\n\n", { start: T0, end: T0 + 180 });
  t.is(s.start, T0);
  t.is(s.minutes, 3);
  t.deepEqual([...s.byRom.get(ROM)!], [30.5, NaN, NaN]);
  t.deepEqual([...s.byRom.get("28-0000000000aa")!], [NaN, NaN, 20]);
  t.deepEqual(s.seen!.get("28-0000000000aa"), { node: "n1", bus: "1", last_seen: T0 + 125 });
});

test("node_health counters become rejections in the window, across a reboot", (t) => {
  const text = [
    health(T0, 100, 1, 0),
    health(T0 + 60, 160, 3, 1), // +2 crc, +1 power_on
    health(T0 + 120, 20, 1, 0), // rebooted: +1 crc since boot
    health(T0 + 180, 80, 4, 2), // +3 crc, +2 power_on
  ]
    .map((h) => encodePoint(nodeHealthPoint(h)))
    .join("\n");
  const s = readLineProtocol(text, { start: T0, end: T0 + 240 });
  t.deepEqual(s.nodes, [{ node: "n1", last_seen: T0 + 180, rejected: { crc: 6, power_on: 3, disconnected: 0, range: 0, jump: 0 }, write_status: "ok", dropped: 2, buffered: 0, firmware: "1.0.0" }]);
});

test("configured signals: outdoor temperature and heat-pump state from other measurements", (t) => {
  const text = [
    `outdoor,entity_id=aussen value=1.5 ${T0 + 10}`,
    `outdoor,entity_id=other value=99 ${T0 + 10}`,
    `hp,entity_id=mode state="heating" ${T0}`,
    `hp,entity_id=mode state="dhw" ${T0 + 120}`,
  ].join("\n");
  const s = readLineProtocol(text, { start: T0, end: T0 + 240 }, {
    signals: {
      outdoor_temperature: { measurement: "outdoor", field: "value", tags: { entity_id: "aussen" } },
      heat_pump_state: { measurement: "hp", field: "state", tags: {}, heating: ["heating"] },
    },
  });
  t.deepEqual([...s.signals!.outdoor_c!], [1.5, NaN, NaN, NaN]);
  t.deepEqual([...s.signals!.heat_pump_heating!], [1, 1, 0, 0]);
});

test("a malformed line is a usage error naming the line", (t) => {
  t.throws(() => readLineProtocol(`temperature,rom=${ROM} celsius=abc ${T0}\n`, { start: T0, end: T0 + 60 }), { message: /line 1 of the data file is not valid line protocol/ });
});

test("the end of a file's data is found from its last lines", (t) => {
  t.is(lastTimestamp(`a v=1 ${T0}\nb v=2 ${T0 + 70}\n\n`), T0 + 70);
  t.is(lastTimestamp(""), undefined);
});
