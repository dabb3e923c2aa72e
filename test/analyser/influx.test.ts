import anyTest, { type TestFn } from "ava";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { encodePoint } from "../../shared/line-protocol.js";
import { nodeHealthPoint } from "../../shared/measurements.js";
import { readInflux } from "../../analyser/sources/influx.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { analyse } from "../../analyser/measurement/analyse.js";
import { freePort, useInfluxd } from "../helpers/influxd.js";
import { synthetic } from "./fixture.js";
import { toLineProtocol } from "./lines.js";

const { test, influxd } = useInfluxd(anyTest as TestFn);
const syn = synthetic({ hours: 12 });
const window = { start: syn.data.start, end: syn.data.start + syn.data.minutes * 60 };
const health = [0, 1, 2].map((k) =>
  encodePoint(
    nodeHealthPoint({
      node: "n1", time: syn.data.start + 60 * k, firmware: "1.0.0", uptime_s: 100 + 60 * k, reset_reason: "power_on", rssi_dbm: -60, free_heap_bytes: 1, sensors_found: 5,
      sensors_expected: 5, crc_errors: 0, rejected: { crc: 2 * k, power_on: k, disconnected: 0, range: 0, jump: 0 }, buffered: 0, dropped: 0, dropped_bad_lines: 0,
      write_status: "ok", write_http_status: 204, cycle_ms: 900, clock_synced: true,
    }),
  ),
);
const text = toLineProtocol(syn.data) + health.join("\n") + "\n";
const houseAt = (url: string, database = "fb") => ({ ...syn.house, influx: { ...syn.house.influx, url, database } });

// Filled once, lazily: the helper's own before hook starts the server.
let filled: Promise<void> | undefined;
const ready = () =>
  (filled ??= (async () => {
    await influxd().createDatabase("fb");
    const status = await influxd().write("fb", text);
    if (status !== 204) throw new Error(`write failed: ${status}`);
  })());

test("the server's per-minute means equal the file source's, node health included", async (t) => {
  await ready();
  const progress: number[] = [];
  const fromInflux = await readInflux(houseAt(influxd().url), {}, window, { chunkS: 4 * 3600, onProgress: (d) => progress.push(d) });
  const fromFile = readLineProtocol(text, window);
  t.deepEqual(progress, [1, 2, 3]);
  t.deepEqual([...fromInflux.byRom.keys()].sort(), [...fromFile.byRom.keys()].sort());
  for (const [rom, x] of fromFile.byRom) {
    const y = fromInflux.byRom.get(rom)!;
    for (let i = 0; i < x.length; i++) t.true(Number.isNaN(x[i]) ? Number.isNaN(y[i]) : Math.abs(x[i] - y[i]) < 1e-9, `${rom} ${i}`);
  }
  t.deepEqual(fromInflux.nodes, [{ node: "n1", last_seen: syn.data.start + 120, rejected: { crc: 4, power_on: 2, disconnected: 0, range: 0, jump: 0 }, write_status: "ok", dropped: 0, buffered: 0, firmware: "1.0.0" }]);
  const a = analyse(syn.house, fromInflux);
  const b = analyse(syn.house, fromFile);
  // Same numbers; only last_seen differs (the server knows it to the minute, the file to the second).
  const strip = (r: typeof a) => JSON.parse(JSON.stringify(r.manifolds, (k, v) => (k === "last_seen" ? undefined : v)));
  t.deepEqual(strip(a), strip(b));
  t.true(a.warnings.some((w) => /node n1 rejected 6 readings \(crc 4, power_on 2\)/.test(w)));
});

test("a missing database is one clear error with its own exit code", async (t) => {
  await ready();
  const err = await t.throwsAsync(readInflux(houseAt(influxd().url, "nope"), {}, window), { instanceOf: UserError });
  t.is(err!.exitCode, EXIT.influxNoDatabase);
  t.regex(err!.message, /has no database "nope"/);
  t.not(EXIT.influxNoDatabase, EXIT.ok);
});

test("an unreachable server is one clear error with its own exit code", async (t) => {
  await ready();
  const port = await freePort();
  const err = await t.throwsAsync(readInflux(houseAt(`http://127.0.0.1:${port}`), {}, window), { instanceOf: UserError });
  t.is(err!.exitCode, EXIT.influxUnreachable);
  t.regex(err!.message, /cannot be reached/);
});
