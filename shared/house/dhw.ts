// The house file's optional per-node `dhw` section: a demand-driven hot-water circulation pump
// on that node (seed 002; firmware/core/dhw). One small named part of the composed schema
// (schema.ts): every option with its range and default, the checks that need only this section
// here, and the one that needs the node (its buses and pins) in `checkDhwNode`.

import { z } from "zod";

const gpio = z.number().int().min(0).max(39);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "write it as HH:MM, e.g. 23:00");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "write it as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(d + "T00:00:00Z")) && new Date(d + "T00:00:00Z").toISOString().startsWith(d), { message: "not a calendar date" });

export const dhwInput = z
  .object({
    pin: gpio.describe("GPIO of the motion detector's or door contact's output"),
    kind: z.enum(["motion", "door"]).describe("motion: a run on activation; door: a run when it opens or closes"),
    active_low: z.boolean().default(false).describe("the contact pulls the pin to ground when active (reed contact to GND)"),
    debounce_ms: z.number().int().min(0).max(5000).default(50).describe("a level counts once stable this long, ms"),
  })
  .strict();

/** `romCode` is the schema's own ROM validator, passed in so this part does not import schema.ts. */
export function dhwSection(romCode: z.ZodType<string>) {
  const sensorOnNode = z.union([romCode, z.object({ rom: romCode, bus: z.string().optional().describe("bus id on this node (default: its first bus)") }).strict()]);
  return z
    .object({
      enabled: z.boolean().default(true),
      relay_pin: gpio.describe("GPIO driving the pump's relay stage"),
      relay_active_low: z.boolean().default(false).describe("the relay board switches on a low level"),
      readback_pin: gpio.optional().describe("GPIO reading the relay's auxiliary contact (optional)"),
      inputs: z.array(dhwInput).default([]).describe("motion detectors and door contacts that ask for hot water"),
      line_sensor: sensorOnNode.describe("DS18B20 on the circulation return, near the pump"),
      outlet_sensor: sensorOnNode.optional().describe("DS18B20 on the tank's hot-water outlet: detects draws (optional)"),
      lower_c: z.number().min(20).max(60).default(35).describe("start only below this line temperature, °C"),
      upper_c: z.number().min(25).max(70).default(42).describe("stop at this line temperature, °C"),
      max_run_min: z.number().gt(0).max(10).default(5).describe("hard cap of one run, min (at most the seed's 10 min on-time)"),
      min_pause_min: z.number().min(0).max(120).default(5).describe("pause between runs, min"),
      lockout: z
        .object({ from: hhmm.default("23:00"), to: hhmm.default("05:00") })
        .strict()
        .prefault({})
        .describe("no run starts in this local-time window; a run in progress stops when it begins"),
      learning: z.boolean().default(true).describe("learn the usual times (7 × 48 half-hours) and pre-run before them"),
      usual_weight: z.number().positive().default(30).describe("weight from which a half-hour is a usual time (+40 a day wanted, ×0.98 a day)"),
      prerun_lead_min: z.number().min(0).max(120).default(15).describe("pre-run this long before a usual half-hour, min"),
      prerun_margin_k: z.number().min(0).max(10).default(2).describe("in usual times keep the line above lower_c + this, K"),
      holidays: z
        .array(z.object({ from: isoDate, to: isoDate.describe("last day, inclusive") }).strict())
        .default([])
        .describe("nobody at home: no learning, no runs but the stagnation run"),
      stagnation_after_h: z.number().min(0).max(168).default(24).describe("a hygiene run after this many hours without one; 0 = off"),
      disinfection_c: z.number().min(50).max(80).default(60).describe("outlet or line at or above this is a thermal-disinfection cycle: not learned from, °C"),
      draw_detect: z.boolean().default(true).describe("a tap opened (outlet rising ≥ 0.01 K/s for 15 s, > 1.5 K) counts as demand; needs outlet_sensor"),
      fallback: z
        .object({
          run_min: z.number().gt(0).max(10).default(3).describe("line sensor failed: one run on demand, min"),
          max_min_per_h: z.number().gt(0).max(30).default(10).describe("line sensor failed: pump minutes in any hour (the seed's 10/10 timer is 30)"),
        })
        .strict()
        .prefault({}),
      http_trigger: z.boolean().default(true).describe("POST /dhw/trigger (port 8080, the node's OTA token) asks for a run"),
    })
    .strict()
    .superRefine((d, ctx) => {
      if (d.upper_c - d.lower_c < 2) ctx.addIssue({ code: "custom", path: ["upper_c"], message: `upper_c ${d.upper_c} °C must be at least 2 K above lower_c ${d.lower_c} °C, or the pump would chatter` });
      if (d.disinfection_c <= d.upper_c) ctx.addIssue({ code: "custom", path: ["disinfection_c"], message: `disinfection_c ${d.disinfection_c} °C must be above upper_c ${d.upper_c} °C` });
      if (d.fallback.run_min > d.max_run_min) ctx.addIssue({ code: "custom", path: ["fallback", "run_min"], message: `${d.fallback.run_min} min is longer than max_run_min ${d.max_run_min}; the cap holds in fallback too` });
      if (d.lockout.from === d.lockout.to) ctx.addIssue({ code: "custom", path: ["lockout"], message: "from and to are equal; write e.g. from: \"23:00\", to: \"05:00\"" });
      d.holidays.forEach((h, i) => {
        if (h.to < h.from) ctx.addIssue({ code: "custom", path: ["holidays", i, "to"], message: `${h.to} is before ${h.from}` });
      });
      const pins = [d.relay_pin, ...(d.readback_pin === undefined ? [] : [d.readback_pin]), ...d.inputs.map((x) => x.pin)];
      const seen = new Set<number>();
      for (const p of pins) {
        if (seen.has(p)) ctx.addIssue({ code: "custom", path: [], message: `GPIO ${p} is used twice in the dhw section (relay, read-back and inputs need a pin each)` });
        seen.add(p);
      }
    });
}

interface NodeLike {
  buses: { id?: string; pin: number }[];
  dhw?: { relay_pin: number; readback_pin?: number; inputs: { pin: number }[]; line_sensor: string | { bus?: string }; outlet_sensor?: string | { bus?: string } };
}

/** The checks that need the node: pins not shared with a OneWire bus, sensor buses that exist. */
export function checkDhwNode(n: NodeLike, ctx: z.RefinementCtx): void {
  const d = n.dhw;
  if (!d) return;
  const busPins = new Set(n.buses.map((b) => b.pin));
  const ids = n.buses.map((b, i) => b.id ?? String(i));
  const pins: [number, (string | number)[]][] = [[d.relay_pin, ["relay_pin"]], ...d.inputs.map((x, i): [number, (string | number)[]] => [x.pin, ["inputs", i, "pin"]])];
  if (d.readback_pin !== undefined) pins.push([d.readback_pin, ["readback_pin"]]);
  for (const [pin, path] of pins) {
    if (busPins.has(pin)) ctx.addIssue({ code: "custom", path: ["dhw", ...path], message: `GPIO ${pin} is this node's OneWire bus; give the dhw wiring its own pin` });
  }
  for (const key of ["line_sensor", "outlet_sensor"] as const) {
    const s = d[key];
    if (s && typeof s === "object" && s.bus !== undefined && !ids.includes(s.bus)) {
      ctx.addIssue({ code: "custom", path: ["dhw", key, "bus"], message: `bus "${s.bus}" does not exist on this node (it has ${ids.join(", ")})` });
    }
  }
}
