// npm run bench:firmware — the firmware core's figures: buffer cost per reading, the outage the
// default flash partition covers, the modelled sample-cycle time, and XS heap growth.
import { loadHouseFile } from "../shared/house/load.js";
import { CONVERSION_TIME_S } from "../shared/measurements.js";
import { expectedSensors } from "../firmware/core/config.js";
import { FlashRing } from "../firmware/core/flash-ring.js";
import { READING_BUFFER_SIZE } from "../firmware/core/partitions.js";
import { RamRing } from "../firmware/core/ram-ring.js";
import { deriveNodeConfig } from "../firmware/host/config.js";
import { FakeInflux } from "../firmware/virtual/fake-influx.js";
import { MemoryFlash } from "../firmware/virtual/flash-double.js";
import { buildRig } from "../firmware/virtual/rig.js";
import { RESET_US, SLOT_US } from "../firmware/virtual/sim-bus.js";
import { bundleCore, startXs } from "../firmware/virtual/xs-host.js";
import { testConfigFor } from "./firmware-config.js";

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

// Bytes per reading.
const ramBytes = RamRing.BYTES_PER_READING;
const ring = new FlashRing(new MemoryFlash(READING_BUFFER_SIZE));
const flashBytes = READING_BUFFER_SIZE / ring.capacity; // records + sector headers + the sensor table block
console.log(`buffer: ${ramBytes} B a reading in RAM; ${round(flashBytes, 2)} B a reading in flash (6 B record + headers); the ${READING_BUFFER_SIZE / 1024} KiB partition holds ${ring.capacity} readings`);

// Outage the default partition covers, for the example's largest node.
const { house } = loadHouseFile("examples/house.yaml");
let largest = { node: "", perHour: 0, sensors: 0, interval: 0 };
for (const n of house.nodes) {
  const c = deriveNodeConfig(house, n.id);
  const perHour = (expectedSensors(c) * 3600) / c.interval_s;
  if (perHour > largest.perHour) largest = { node: n.id, perHour, sensors: expectedSensors(c), interval: c.interval_s };
}
const outageHours = ring.capacity / largest.perHour;
console.log(`outage: ${largest.node} (${largest.sensors} sensors every ${largest.interval} s) rides out ${round(outageHours, 1)} h without InfluxDB`);

// Modelled sample-cycle time (12 bit, 10 sensors), from the simulated bus's datasheet timing.
async function cycleSeconds(perBus: number[]): Promise<number> {
  const influx = new FakeInflux();
  const rig = buildRig({ config: testConfigFor(perBus), transport: influx.transport, seed: 1 });
  rig.node.start();
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    await rig.platform.runFor(10_000);
    samples.push(rig.node.cycleMs);
  }
  rig.node.stop();
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] / 1000;
}
const oneBus = await cycleSeconds([10]);
const twoBuses = await cycleSeconds([5, 5]);
const readS = (RESET_US + (1 + 8 + 1 + 9) * 8 * SLOT_US) / 1e6;
const floor = CONVERSION_TIME_S[12] + 10 * readS;
console.log(`cycle: one bus ${round(oneBus)} s, two buses ${round(twoBuses)} s; floor ${round(floor)} s (750 ms conversion + 10 reads of ${round(readS * 1000, 2)} ms): ${round((oneBus / floor - 1) * 100, 1)} % above it`);
console.log(`       (DS18X20.getTemperature one sensor at a time would take ≥ ${round(10 * (CONVERSION_TIME_S[12] + readS), 2)} s)`);

// XS heap growth per 1000 buffered readings, measured in xsnap (XS 64-bit: 32-byte slots).
const bundle = await bundleCore();
const xs = await startXs(bundle.path);
let heapPer1000 = NaN;
try {
  await xs.evaluate(`heapProbe.setup(${JSON.stringify(testConfigFor([5, 5]))})`);
  await xs.call(`heapProbe.runFor(120000)`);
  const a = await xs.evaluate("gc()");
  const depthA = await xs.call(`heapProbe.runFor(0)`);
  const depthB = await xs.call(`heapProbe.runFor(${1000 * 1000})`); // 100 cycles x 10 sensors = 1000 readings
  const b = await xs.evaluate("gc()");
  const bytes = (b.heapSlots - a.heapSlots) * 32 + (b.allocate - a.allocate);
  heapPer1000 = Math.round((bytes * 1000) / Math.max(1, depthB - depthA));
  console.log(`xs heap: ${depthB - depthA} readings buffered, heap ${a.heapSlots}→${b.heapSlots} slots, chunks ${a.allocate}→${b.allocate} B: ${heapPer1000} B per 1000 readings; core bundle ${bundle.bytes} B`);
} finally {
  await xs.close();
  bundle.cleanup();
}

console.log(
  JSON.stringify({
    bench: "firmware",
    bytes_per_reading_ram: ramBytes,
    bytes_per_reading_flash: round(flashBytes, 2),
    outage_hours: round(outageHours, 1),
    cycle_s_one_bus: round(oneBus),
    cycle_s_two_buses: round(twoBuses),
    xs_heap_bytes_per_1000: heapPer1000,
  }),
);
