// The measurement schema: the one definition of what firmware, simulator, virtual nodes and
// the analyser write to and read from InfluxDB. Portable: runs unchanged on XS.
// docs/measurements.md explains it for people; test/shared/measurements.test.ts keeps both in step.
//
// Identity: the sensor ROM (canonical w1 spelling) is the authoritative identity of every
// reading. Readings do NOT carry manifold/circuit tags: the analyser and the generated Grafana
// dashboard resolve circuits from the ROM through the house file, so remapping a sensor in the
// house file takes effect without reflashing.
//
// Time: every point carries the device's own timestamp in whole seconds, UTC (precision=s).

import { int, type FieldValue, type Point } from "./line-protocol.js";
import { DHW_SPECS } from "./dhw-measurements.js";

export const PRECISION = "s" as const;

export type FieldType = "float" | "integer" | "string" | "boolean";

export interface MeasurementSpec {
  readonly name: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, { type: FieldType; unit?: string; description: string }>>;
}

export const TEMPERATURE = "temperature";
export const NODE_HEALTH = "node_health";
export const BUS_HEALTH = "bus_health";
export const BALANCE_EVENT = "balance_event";
export const SIM_TRUTH = "sim_truth";
export const ROOM_TEMPERATURE = "room_temperature";
export const SENSOR_CALIBRATION = "sensor_calibration";
/**
 * The analyser's per-minute rollup of `temperature`, kept by InfluxDB continuous queries that
 * `floorbalance influx setup` creates (analyser/sources/rollup.ts): one untagged series, one
 * float field per sensor named by its canonical ROM, holding that minute's mean celsius. Written
 * by the server only, never by nodes, so it is not in SPECS.
 */
export const TEMPERATURE_1M = "temperature_1m";

/** Why a raw read was not written as a temperature. Counted per node (and reported in health). */
export const REJECTION_REASONS = ["crc", "power_on", "disconnected", "range", "jump"] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The outcome of the last write, as the firmware's writer classifies InfluxDB's answer. */
export const WRITE_STATUSES = ["none", "ok", "partial", "auth", "db_missing", "too_large", "server", "network", "refused"] as const;
export type WriteStatus = (typeof WRITE_STATUSES)[number];

export const SPECS: readonly MeasurementSpec[] = Object.freeze<MeasurementSpec[]>([
  {
    name: TEMPERATURE,
    description: "One valid sensor reading. Invalid reads (CRC failure, 85 °C power-on, −127, out of range, implausible jump) are never written here; they are counted in node_health.",
    tags: {
      node: "node id from the house file (e.g. hkv-eg)",
      bus: "bus id on that node (e.g. 0)",
      rom: "sensor ROM, canonical w1 spelling (28-0316a2794aff): the authoritative identity",
      mapped: "yes if the firmware's configuration knew this ROM when it was flashed, no for an unknown sensor (the form a user maps from)",
    },
    fields: { celsius: { type: "float", unit: "°C", description: "temperature, as read (no calibration applied)" } },
  },
  {
    name: ROOM_TEMPERATURE,
    description: "One reading of a Bluetooth LE room thermometer (BTHome v2, pvvx or atc1441 broadcast) heard by a node. Each field is sent as its own line with the same tags and time; InfluxDB merges them into one point. Implausible values are never written.",
    tags: {
      node: "node id that heard the broadcast",
      mac: "the thermometer's MAC, lower case with colons (a4:c1:38:12:34:56): the authoritative identity",
    },
    fields: {
      celsius: { type: "float", unit: "°C", description: "air temperature as broadcast (0.01 or 0.1 K steps; no offset applied)" },
      humidity_pct: { type: "float", unit: "%", description: "relative humidity, when the broadcast has it" },
      battery_pct: { type: "integer", unit: "%", description: "battery level, when the broadcast has it" },
      rssi_dbm: { type: "integer", unit: "dBm", description: "signal strength at the node (which node hears it best)" },
    },
  },
  {
    name: NODE_HEALTH,
    description: "One point per node per minute. Counters are cumulative since boot (uptime_s resets with them), except dropped and dropped_bad_lines: they count over the life of the node's flash buffer (persisted there), so losses before a reboot are still reported after it.",
    tags: { node: "node id" },
    fields: {
      firmware: { type: "string", description: "firmware version" },
      uptime_s: { type: "integer", unit: "s", description: "seconds since boot" },
      reset_reason: { type: "string", description: "why the node last booted (power_on, software, panic, watchdog, brownout, ota, unknown)" },
      rssi_dbm: { type: "integer", unit: "dBm", description: "Wi-Fi signal strength" },
      free_heap_bytes: { type: "integer", unit: "B", description: "free XS heap" },
      sensors_found: { type: "integer", description: "sensors answering on all buses" },
      sensors_expected: { type: "integer", description: "sensors the configuration expects on all buses" },
      crc_errors: { type: "integer", description: "ROM and scratchpad CRC failures, including those a retry recovered" },
      rejected_crc: { type: "integer", description: "reads given up after retries because of CRC failures" },
      rejected_power_on: { type: "integer", description: "85.0 °C power-on values rejected" },
      rejected_disconnected: { type: "integer", description: "−127 °C / all-ones reads rejected" },
      rejected_range: { type: "integer", description: "reads outside the sensor's −55…+125 °C range rejected" },
      rejected_jump: { type: "integer", description: "physically implausible jumps rejected, including a first reading (after boot) too far from its value kept in flash or from its bus neighbours" },
      buffered: { type: "integer", description: "readings waiting in the RAM and flash buffer" },
      dropped: { type: "integer", description: "readings lost over the life of the flash buffer (persisted, survives reboots): dropped because the buffer was full (oldest first), or the clock never set" },
      dropped_bad_lines: { type: "integer", description: "lines InfluxDB refused in a partial write and that were dropped: those it named, and the dropped=N of a partial write that named none (persisted like dropped)" },
      write_refused: { type: "integer", description: "writes refused without naming a line (a 400 that names none, e.g. from a proxy; a 413 for a single line): nothing dropped, retried with back-off" },
      write_status: { type: "string", description: `last write outcome: ${WRITE_STATUSES.join(", ")}` },
      write_http_status: { type: "integer", description: "HTTP status of the last write (0 for a network error)" },
      cycle_ms: { type: "integer", unit: "ms", description: "duration of the last sample cycle" },
      clock_synced: { type: "boolean", description: "whether SNTP has set the clock" },
    },
  },
  {
    name: BUS_HEALTH,
    description: "One point per bus per minute.",
    tags: { node: "node id", bus: "bus id" },
    fields: {
      pin: { type: "integer", description: "GPIO pin" },
      found: { type: "integer", description: "sensors answering the last search" },
      expected: { type: "integer", description: "sensors the configuration expects on this bus" },
      crc_errors: { type: "integer", description: "CRC failures on this bus since boot" },
      shorted: { type: "boolean", description: "the bus did not answer a reset with a presence pulse" },
    },
  },
  {
    name: BALANCE_EVENT,
    description: "The engine's memory, mirrored for Grafana annotations: each recommendation and each applied setting.",
    tags: { manifold: "manifold id", circuit: "circuit id", kind: "recommended, applied or detected" },
    fields: {
      setting_lpm: { type: "float", unit: "l/min", description: "flow-meter setting (flow-meter valves)" },
      turns: { type: "float", unit: "turns", description: "lockshield turns open (lockshield valves)" },
      cycle: { type: "integer", description: "balancing cycle number" },
      text: { type: "string", description: "the human-readable action" },
    },
  },
  {
    name: SENSOR_CALIBRATION,
    description: "A sensor's calibration from floorbalance calibrate, mirrored from the file beside the house file so Grafana can show corrected values (corrected = 25 + (celsius − offset_k − 25) / gain). Readings stay raw.",
    tags: { rom: "sensor ROM (the calibration belongs to the part, wherever it is mounted)", method: "bundle, in-place, standby-pair or harvested" },
    fields: {
      offset_k: { type: "float", unit: "K", description: "offset at 25 °C, relative to the group it was calibrated with" },
      sd_k: { type: "float", unit: "K", description: "one standard deviation of the offset" },
      gain: { type: "float", description: "relative gain (1 = ideal); 1 when not fitted" },
      replace: { type: "boolean", description: "the procedure flagged the sensor as noisy or far off" },
    },
  },
  {
    name: SIM_TRUTH,
    description: "Simulator only: the ground truth behind the simulated readings, for scoring.",
    tags: { circuit: "circuit id (or manifold id with kind=manifold)", kind: "circuit or manifold" },
    fields: {
      flow_lpm: { type: "float", unit: "l/min", description: "true water flow" },
      supply_c: { type: "float", unit: "°C", description: "true water temperature at the manifold supply" },
      return_c: { type: "float", unit: "°C", description: "true water temperature at the circuit return" },
      heat_w: { type: "float", unit: "W", description: "true heat delivered to the floor" },
      room_c: { type: "float", unit: "°C", description: "true room air temperature" },
    },
  },
  ...DHW_SPECS,
]);

export function specOf(name: string): MeasurementSpec {
  for (const spec of SPECS) if (spec.name === name) return spec;
  throw new Error(`no measurement named ${name}`);
}

// ---- Builders: the only way code in this project makes a point ----

export interface TemperatureReading {
  node: string;
  bus: string;
  rom: string;
  celsius: number;
  /** Seconds since the epoch, UTC. */
  time: number;
  mapped: boolean;
}

export function temperaturePoint(r: TemperatureReading): Point {
  return {
    measurement: TEMPERATURE,
    tags: { bus: r.bus, mapped: r.mapped ? "yes" : "no", node: r.node, rom: r.rom },
    fields: { celsius: r.celsius },
    time: r.time,
  };
}

export interface RoomTemperatureReading {
  node: string;
  mac: string;
  /** Seconds since the epoch, UTC. */
  time: number;
  celsius?: number;
  humidity_pct?: number;
  battery_pct?: number;
  rssi_dbm?: number;
}

/** A room thermometer's point; the node writes one quantity per line (see the spec). */
export function roomTemperaturePoint(r: RoomTemperatureReading): Point {
  const fields: Record<string, FieldValue> = {};
  if (r.celsius !== undefined) fields.celsius = r.celsius;
  if (r.humidity_pct !== undefined) fields.humidity_pct = r.humidity_pct;
  if (r.battery_pct !== undefined) fields.battery_pct = int(Math.round(r.battery_pct));
  if (r.rssi_dbm !== undefined) fields.rssi_dbm = int(Math.round(r.rssi_dbm));
  return { measurement: ROOM_TEMPERATURE, tags: { mac: r.mac, node: r.node }, fields, time: r.time };
}

export interface NodeHealth {
  node: string;
  time: number;
  firmware: string;
  uptime_s: number;
  reset_reason: string;
  rssi_dbm: number;
  free_heap_bytes: number;
  sensors_found: number;
  sensors_expected: number;
  crc_errors: number;
  rejected: Readonly<Record<RejectionReason, number>>;
  buffered: number;
  dropped: number;
  dropped_bad_lines: number;
  /** Absent in points written before this field existed. */
  write_refused?: number;
  write_status: WriteStatus;
  write_http_status: number;
  cycle_ms: number;
  clock_synced: boolean;
}

export function nodeHealthPoint(h: NodeHealth): Point {
  const fields: Record<string, FieldValue> = {
    firmware: h.firmware,
    uptime_s: int(Math.round(h.uptime_s)),
    reset_reason: h.reset_reason,
    rssi_dbm: int(Math.round(h.rssi_dbm)),
    free_heap_bytes: int(Math.round(h.free_heap_bytes)),
    sensors_found: int(h.sensors_found),
    sensors_expected: int(h.sensors_expected),
    crc_errors: int(h.crc_errors),
    buffered: int(h.buffered),
    dropped: int(h.dropped),
    dropped_bad_lines: int(h.dropped_bad_lines),
    write_refused: int(h.write_refused ?? 0),
    write_status: h.write_status,
    write_http_status: int(h.write_http_status),
    cycle_ms: int(Math.round(h.cycle_ms)),
    clock_synced: h.clock_synced,
  };
  for (const reason of REJECTION_REASONS) fields["rejected_" + reason] = int(h.rejected[reason]);
  return { measurement: NODE_HEALTH, tags: { node: h.node }, fields, time: h.time };
}

export interface BusHealth {
  node: string;
  bus: string;
  time: number;
  pin: number;
  found: number;
  expected: number;
  crc_errors: number;
  shorted: boolean;
}

export function busHealthPoint(b: BusHealth): Point {
  return {
    measurement: BUS_HEALTH,
    tags: { bus: b.bus, node: b.node },
    fields: { pin: int(b.pin), found: int(b.found), expected: int(b.expected), crc_errors: int(b.crc_errors), shorted: b.shorted },
    time: b.time,
  };
}

/** DS18B20 datasheet: maximum conversion time per resolution, in seconds. */
export const CONVERSION_TIME_S: Readonly<Record<number, number>> = Object.freeze({ 9: 0.09375, 10: 0.1875, 11: 0.375, 12: 0.75 });

/** DS18B20 datasheet: resolution step per resolution, in K. */
export const RESOLUTION_STEP_K: Readonly<Record<number, number>> = Object.freeze({ 9: 0.5, 10: 0.25, 11: 0.125, 12: 0.0625 });

export interface BalanceEvent {
  manifold: string;
  circuit: string;
  kind: "recommended" | "applied" | "detected";
  /** Seconds since the epoch, UTC. */
  time: number;
  cycle: number;
  text: string;
  setting_lpm?: number;
  turns?: number;
}

/** One engine memory event, for Grafana annotations. */
export function balanceEventPoint(e: BalanceEvent): Point {
  const fields: Record<string, FieldValue> = { cycle: int(e.cycle), text: e.text };
  if (e.setting_lpm !== undefined) fields.setting_lpm = e.setting_lpm;
  if (e.turns !== undefined) fields.turns = e.turns;
  return { measurement: BALANCE_EVENT, tags: { circuit: e.circuit, kind: e.kind, manifold: e.manifold }, fields, time: e.time };
}
