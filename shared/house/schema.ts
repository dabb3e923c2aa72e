// The house file's schema, composed of small named parts (ESPHome style): a sensor reference,
// a valve, a circuit, a manifold, a node. Every option has a type, a range and a default here,
// in one place. Cross-references (unknown node, duplicate ROM, …) are checked in validate.ts.
// The JSON Schema in shared/house.schema.json is generated from this file.

import { IANAZone } from "luxon";
import { z } from "zod";
import { parseRom } from "../rom.js";
import { checkDhwNode, dhwSection } from "./dhw.js";

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, "use letters, digits, - and _ only (it becomes a tag value and a file name)")
  .max(40)
  .describe("identifier: letters, digits, - and _");

export const romCode = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseRom(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: `${parsed.reason}; ${parsed.hint}` });
  })
  .describe("DS18B20 ROM code: 28-0316a2794aff, 16 hex digits in bus order, ESPHome 0x… or Tasmota id");

/** A sensor clamped to a pipe. `node` defaults to the manifold's node, `bus` to the node's first bus. */
export const sensorRef = z.union([
  romCode,
  z
    .object({
      rom: romCode,
      node: id.optional().describe("node the sensor is wired to (default: the manifold's node)"),
      bus: z.string().optional().describe("bus id on that node (default: its first bus)"),
    })
    .strict(),
]);

export const pipeSize = z
  .string()
  .regex(/^\d{2}x\d(\.\d)?$/, "write it as outer diameter x wall in mm, e.g. 16x2")
  .describe("pipe outer diameter x wall thickness in mm, e.g. 16x2");

export const flowMeterValve = z
  .object({
    kind: z.literal("flow-meter"),
    setting_lpm: z.number().positive().describe("current flow-meter setting in l/min"),
    scale: z
      .object({
        min: z.number().nonnegative().default(0.5),
        max: z.number().positive().default(3.0),
        step: z.number().positive().default(0.1),
      })
      .strict()
      .default({ min: 0.5, max: 3.0, step: 0.1 })
      .describe("the flow meter's printed scale in l/min"),
  })
  .strict()
  .superRefine((valve, ctx) => {
    if (valve.scale.min >= valve.scale.max) {
      ctx.addIssue({ code: "custom", path: ["scale"], message: `scale min ${valve.scale.min} must be below max ${valve.scale.max}` });
    }
    if (valve.setting_lpm < valve.scale.min - 1e-9 || valve.setting_lpm > valve.scale.max + 1e-9) {
      ctx.addIssue({
        code: "custom",
        path: ["setting_lpm"],
        message: `setting ${valve.setting_lpm} l/min is outside the valve's scale ${valve.scale.min}–${valve.scale.max} l/min; read the meter again or correct the scale`,
      });
    }
  });

export const lockshieldValve = z
  .object({
    kind: z.literal("lockshield"),
    turns_open: z.number().nonnegative().describe("current turns open from fully closed"),
    characteristic: z
      .object({
        kvs: z.number().positive().default(1.0).describe("kv fully open, m³/h at 1 bar"),
        n0_turns: z.number().positive().default(0.45).describe("turns constant of kv(n) = kvs·(1 − e^(−n/n0))"),
        max_turns: z.number().positive().default(4).describe("turns from closed to fully open"),
      })
      .strict()
      .default({ kvs: 1.0, n0_turns: 0.45, max_turns: 4 }),
  })
  .strict()
  .superRefine((valve, ctx) => {
    if (valve.turns_open > valve.characteristic.max_turns) {
      ctx.addIssue({
        code: "custom",
        path: ["turns_open"],
        message: `${valve.turns_open} turns is more than the valve's ${valve.characteristic.max_turns} turns; count again from fully closed`,
      });
    }
  });

export const valve = z.discriminatedUnion("kind", [flowMeterValve, lockshieldValve]);

/** A room-temperature signal already logged in InfluxDB (e.g. by Home Assistant). */
export const signalRef = z
  .object({
    measurement: z.string().min(1),
    field: z.string().default("value"),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const roomTemperature = signalRef
  .extend({ target_c: z.number().min(10).max(30).describe("wanted room temperature, °C") })
  .strict();

export const floorBuild = z
  .object({
    covering_r: z.number().min(0).max(0.3).default(0.1).describe("floor covering resistance R_λB, m²K/W (tiles 0.0, carpet 0.1–0.15)"),
    spacing_m: z.number().min(0.05).max(0.35).default(0.15).describe("pipe spacing T, m"),
    screed_m: z.number().min(0.03).max(0.1).default(0.045).describe("screed above the pipe s_u, m"),
  })
  .strict();

/** Physics of the room for the twin (simulator). Optional: sensible defaults follow from the design load. */
export const roomModel = z
  .object({
    heat_loss_w_k: z.number().positive().optional().describe("transmission + ventilation loss to outside, W/K"),
    window_m2: z.number().nonnegative().default(0).describe("glazing that lets in sun, m²"),
    internal_gain_w: z.number().nonnegative().default(0).describe("mean internal gains (cooking, people), W"),
    setpoint_c: z.number().min(10).max(30).optional().describe("room temperature the design load is for, °C"),
  })
  .strict();

export const circuit = z
  .object({
    id,
    manifold: id.describe("id of the manifold this circuit hangs on"),
    room: z.string().min(1).describe("room name as the homeowner says it"),
    area_m2: z.number().positive().max(200).describe("heated floor area, m²"),
    length_m: z.number().positive().max(300).describe("pipe length including the feed to the room, m"),
    pipe: pipeSize.default("16x2"),
    sensor: sensorRef.nullable().optional().describe("the circuit's return sensor (null until commissioned)"),
    valve,
    design_load_w_m2: z.number().positive().max(200).optional().describe("design heat load, W/m²"),
    room_temperature: roomTemperature.optional(),
    comfort_bias_k: z.number().min(-3).max(3).default(0).describe("K added to the target spread: negative = warmer room"),
    floor: floorBuild.default({ covering_r: 0.1, spacing_m: 0.15, screed_m: 0.045 }),
    room_model: roomModel.optional(),
  })
  .strict();

/** A Home Assistant room thermometer, as its InfluxDB integration logs it (measurement = unit, tag entity_id, field value, on change). */
export const haThermometer = z
  .object({
    entity_id: z
      .string()
      .regex(/^([a-z_]+\.)?[a-z0-9_]+$/, "write it as Home Assistant shows it, e.g. sensor.wohnzimmer_temperature")
      .describe("Home Assistant entity id (sensor.wohnzimmer_temperature); its InfluxDB integration writes the part after the dot as the entity_id tag"),
    measurement: z.string().min(1).default("°C").describe("the measurement HA writes it to: its unit (°C)"),
    offset_k: z.number().min(-5).max(5).default(0).describe("K added to every value (the sensor's own error, e.g. from a side-by-side check)"),
    stale_after_h: z.number().positive().max(72).default(6).describe("a value unchanged for longer than this is stale (HA writes only on change)"),
  })
  .strict();

/** A Bluetooth LE room thermometer (BTHome v2, pvvx or atc1441 broadcast) heard by the nodes. */
export const bleThermometer = z
  .object({
    mac: z
      .string()
      .regex(/^([0-9a-f]{2}[:-]?){5}[0-9a-f]{2}$/i, "write the MAC as on the thermometer's label, e.g. A4:C1:38:12:34:56")
      .describe("the thermometer's MAC (its identity)"),
    offset_k: z.number().min(-5).max(5).default(0).describe("K added to every value"),
    stale_after_h: z.number().positive().max(72).default(1).describe("no broadcast heard for longer than this is stale (the nodes keep one a minute)"),
  })
  .strict();

/** A room: the unit of comfort. Its circuits are those whose `room` names it. */
export const room = z
  .object({
    name: z.string().min(1).describe("room name, exactly as the circuits' room fields write it"),
    target_c: z.number().min(10).max(30).describe("wanted room temperature, °C"),
    ha: haThermometer.optional(),
    ble: bleThermometer.optional(),
  })
  .strict();

export const policy = z.enum(["equal-spread", "design", "transit-time", "room-temperature"]);

export const manifold = z
  .object({
    id,
    name: z.string().min(1),
    node: id.describe("id of the ESP32 that reads this manifold"),
    supply: sensorRef.nullable().optional().describe("the manifold's supply sensor"),
    return: sensorRef.nullable().optional().describe("the manifold's return sensor"),
    feeder_m: z.number().nonnegative().default(10).describe("pipe length from the heat pump to this manifold and back, m"),
    feeder_pipe: z.string().regex(/^\d{2}x\d(\.\d)?$/).default("32x3"),
    policy: policy.optional().describe("target policy for this manifold (default: the analysis policy)"),
  })
  .strict();

export const bus = z
  .object({
    id: z.string().min(1).optional().describe("bus id (default: its index, 0, 1, …)"),
    pin: z.number().int().min(0).max(39).describe("GPIO pin of the OneWire data line"),
  })
  .strict();

export const node = z
  .object({
    id,
    hostname: z.string().regex(/^[a-z0-9-]+$/i, "a hostname has letters, digits and - only"),
    buses: z.array(bus).min(1),
    interval_s: z.number().min(1).max(3600).default(10).describe("sample interval, s"),
    resolution: z.number().int().min(9).max(12).default(12).describe("DS18B20 resolution in bits (9–12)"),
    dhw: dhwSection(romCode).optional().describe("a demand-driven hot-water circulation pump on this node (docs/dhw-circulation.md)"),
  })
  .strict()
  .superRefine(checkDhwNode);

export const heatingCurve = z
  .object({
    at_minus22_c: z.number().min(15).max(75).default(48.3).describe("supply at −22 °C outdoor"),
    at_0_c: z.number().min(15).max(75).default(39.0).describe("supply at 0 °C outdoor"),
    at_plus22_c: z.number().min(15).max(75).default(32.0).describe("supply at +22 °C outdoor"),
    offset_k: z.number().min(-10).max(10).default(0),
  })
  .strict();

/** Lambda's curve lives in heating_curve; the controller names who reads it and its step (docs/heating-curve.md). */
export const lambdaController = z
  .object({
    kind: z.literal("lambda"),
    step_k: z.number().positive().max(1).default(0.1).describe("smallest change the controller accepts, K (Lambda: 0.1)"),
  })
  .strict();

export const luxtronikController = z
  .object({
    kind: z.literal("luxtronik"),
    step_k: z.number().positive().max(1).default(0.5).describe("step at the controller's menu (0.5); FHEM writes 0.1"),
    end_point_c: z.number().min(20).max(70).describe("heatingCurveEndPoint, °C"),
    offset_c: z.number().min(5).max(35).describe("heatingCurveOffset (foot point), °C"),
    fhem_device: z.string().regex(/^[A-Za-z0-9._]+$/, "a FHEM device name: letters, digits, . and _").optional().describe("FHEM device name for the printed commands"),
  })
  .strict();

export const genericController = z
  .object({
    kind: z.literal("generic"),
    step_k: z.number().positive().max(1).default(0.5),
    slope: z.number().min(0).max(4).describe("curve slope (Steilheit): K of supply per K colder"),
    shift_k: z.number().min(-15).max(15).default(0).describe("parallel shift (Niveau), K"),
    foot_c: z.number().min(15).max(25).default(20).describe("foot point the slope turns around, °C"),
  })
  .strict();

export const controller = z.discriminatedUnion("kind", [lambdaController, luxtronikController, genericController]);

/** A numeric heat-pump signal; `scale` turns the logged unit into ours (e.g. l/h → l/min: 1/60). */
export const scaledSignal = signalRef.extend({ scale: z.number().positive().default(1) }).strict();

/** Entity names published by ESPAltherma and pyHPSU (seed 001); docs/heating-curve.md cites the sources. */
export const signalPreset = z.enum(["espaltherma", "pyhpsu"]);

/** A DS18B20 outdoors on one of our nodes: the cheapest outdoor temperature. */
export const outdoorSensor = z
  .object({
    rom: romCode,
    node: id.describe("node the sensor is wired to"),
    bus: z.string().optional().describe("bus id on that node (default: its first bus)"),
  })
  .strict();

export const plant = z
  .object({
    heat_pump: z
      .object({
        kind: z.enum(["on-off", "inverter"]).default("inverter"),
        nominal_kw: z.number().positive().default(8),
        min_kw: z.number().positive().default(3),
        min_flow_lpm: z.number().nonnegative().default(12).describe("the heat pump's minimum water flow, l/min"),
        water_side: z
          .object({
            drop_kpa: z.number().positive().default(7.3).describe("pressure drop of the heat pump's water side (plate exchanger, connections), kPa"),
            at_flow_lpm: z.number().positive().default(36).describe("the flow that drop is given at (data sheet: nominal flow), l/min"),
          })
          .strict()
          .prefault({})
          .describe("the heat pump's hydraulic resistance: the engine predicts the manifolds' heads from it"),
        heating_curve: heatingCurve.default({ at_minus22_c: 48.3, at_0_c: 39.0, at_plus22_c: 32.0, offset_k: 0 }),
        hysteresis_k: z.number().positive().default(2),
        min_run_min: z.number().nonnegative().default(15),
        min_off_min: z.number().nonnegative().default(15),
        dhw_runs_per_day: z.number().nonnegative().default(2),
        dhw_duration_min: z.number().nonnegative().default(40),
        controller: controller.default({ kind: "lambda", step_k: 0.1 }).describe("who reads the heating curve: lambda (heating_curve), luxtronik or generic"),
        curve_changed: z
          .object({
            date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "write the date as YYYY-MM-DD").describe("local date the curve was last changed"),
            delta_at_0_k: z.number().min(-20).max(20).describe("how far that change moved the target at 0 °C outdoor, K (negative = lowered)"),
          })
          .strict()
          .optional()
          .describe("the last curve change: the advisor waits a week after it and never lowers soon after a raise"),
      })
      .strict()
      .prefault({}),
    pump: z
      .object({
        mode: z.enum(["constant", "proportional"]).default("proportional"),
        head_kpa: z.number().positive().default(40).describe("set head, kPa"),
        max_flow_lpm: z.number().positive().default(60),
      })
      .strict()
      .prefault({}),
    /** Signals already logged by others (e.g. Home Assistant from ESPAltherma / pyHPSU). */
    signals: z
      .object({
        outdoor_temperature: signalRef.optional(),
        heat_pump_state: signalRef
          .extend({
            heating: z.array(z.union([z.string(), z.number()])).default(["heating"]).describe("values that mean space heating"),
          })
          .strict()
          .optional(),
        preset: signalPreset.optional().describe("fill the heat pump's signals with ESPAltherma's or pyHPSU's entity names; explicit signals win"),
        heat_pump_supply: scaledSignal.optional().describe("the heat pump's own flow (leaving water) temperature, °C"),
        heat_pump_return: scaledSignal.optional().describe("the heat pump's own return (inlet water) temperature, °C"),
        heat_pump_flow: scaledSignal.optional().describe("the heat pump's water flow; scale to l/min"),
        compressor: scaledSignal.optional().describe("compressor running: any value above 0 (frequency, on/off)"),
        electrical_power: scaledSignal.optional().describe("electrical power; scale to W"),
        heat_power: scaledSignal.optional().describe("heat delivered; scale to W"),
      })
      .strict()
      .prefault({}),
    outdoor_sensor: outdoorSensor.optional().describe("a DS18B20 outdoors (role: outdoor)"),
  })
  .strict()
  .prefault({});

export const analysis = z
  .object({
    policy: policy.default("equal-spread"),
    lookback_h: z.number().positive().max(24 * 14).default(24),
    min_heating_minutes: z.number().nonnegative().default(120).describe("heating-active minutes needed before judging a circuit"),
    dead_band_k: z.number().nonnegative().default(0.4),
    damping: z.number().gt(0).max(1).default(0.6).describe("exponent γ: the share of the way moved each cycle (log scale)"),
    max_step: z.number().gt(0).max(1).default(0.3).describe("largest relative flow change per cycle"),
    max_changes: z.number().int().min(1).max(30).default(5).describe("changes named per cabinet and day, the most effective first"),
    settle_h: z.number().nonnegative().default(20).describe("hours after a change before its data counts: the first daily window that starts that long after it judges it"),
    schedule: z.string().default("*-*-* 06:30:00").describe("systemd OnCalendar of the daily run (site time)"),
  })
  .strict()
  .prefault({});

export const discord = z
  .object({
    username: z.string().max(80).default("floorbalance"),
    chart: z.boolean().default(true),
  })
  .strict()
  .prefault({});

export const house = z
  .object({
    site: z
      .object({
        name: z.string().min(1),
        timezone: z
          .string()
          .refine((zone) => IANAZone.isValidZone(zone), { message: "not an IANA time zone; write it like Europe/Berlin" })
          .default("Europe/Berlin")
          .describe("IANA time zone, e.g. Europe/Berlin"),
        language: z.enum(["de", "en"]).default("de"),
      })
      .strict(),
    influx: z
      .object({
        url: z
          .string()
          // Checked first: a URL with user:pass@ would otherwise be copied into generated files.
          .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), {
            message: "carries a user name or password; remove them from the URL and put influx_username / influx_password in secrets.yaml beside the house file (or FLOORBALANCE_INFLUX_USERNAME / FLOORBALANCE_INFLUX_PASSWORD)",
            abort: true,
          })
          .regex(/^https?:\/\/[^\s/@]+(:\d+)?\/?$/, "write it as http://host:8086"),
        database: z.string().min(1).default("floorbalance"),
        retention_policy: z.string().min(1).default("autogen"),
      })
      .strict()
      .describe("InfluxDB 1.x target; user name and password come from the secrets file or the environment"),
    nodes: z.array(node).min(1),
    plant,
    manifolds: z.array(manifold).min(1),
    circuits: z.array(circuit).min(1),
    rooms: z.array(room).default([]).describe("rooms with their target temperature and room thermometers (docs/rooms.md)"),
    analysis,
    discord,
  })
  .strict();

export type HouseInput = z.input<typeof house>;
export type HouseParsed = z.output<typeof house>;
