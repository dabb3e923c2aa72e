import test from "ava";
import { confirmed, detectTouch, type TouchVerdict } from "../../commissioning/touch.js";
import type { RomTrace } from "../../commissioning/series.js";
import { xorshift } from "../helpers/xorshift.js";

const T0 = 1_750_000_000;

const ROMS = ["28-000000000001", "28-000000000002", "28-000000000003", "28-000000000004", "28-000000000005", "28-000000000006", "28-000000000007"];

/** Seven sensors of one node every 10 s for `minutes`; `extra(rom, t)` adds K at time t (s from T0). */
function node(minutes: number, extra: (rom: string, i: number, t: number) => number, seed = 1): RomTrace[] {
  const rand = xorshift(seed);
  return ROMS.map((rom, i) => {
    const base = 24 + i * 0.7;
    let die = base;
    const samples = [];
    for (let t = 0; t <= minutes * 60; t += 10) {
      die += (base + extra(rom, i, t) - die) * (1 - Math.exp(-10 / 60)); // a clamped sensor's lag
      samples.push({ time: T0 + t, celsius: Math.round((die + 0.03 * (rand() - 0.5)) * 16) / 16 });
    }
    return { rom, node: "n", bus: "0", samples };
  });
}

/** A hand: skin at about 33 °C, the sensor approaches it with a time constant of half a minute. */
const hand = (from: number) => (t: number, base: number) => (t < from ? 0 : (33 - base) * (1 - Math.exp(-(t - from) / 30)));

/** A heating start seen by the whole node: supply first (a ramp of ~1.5 K/min towards +9 K), the returns minutes later. */
const heating = (from: number) => (i: number, t: number) => {
  const delay = i === 0 ? 0 : 120 + 40 * i;
  const on = t - from - delay;
  return on <= 0 ? 0 : (i === 0 ? 9 : 5) * (1 - Math.exp(-on / 360));
};

function verdictsOver(traces: RomTrace[], from: number, to: number, step = 10): TouchVerdict[] {
  const out: TouchVerdict[] = [];
  for (let t = from; t <= to; t += step) out.push(detectTouch(traces, T0 + t));
  return out;
}

test("a sensor held in a hand is named within a minute and a half", (t) => {
  const touched = ROMS[3];
  const traces = node(12, (rom, i, s) => (rom === touched ? hand(600)(s, 24 + i * 0.7) : 0));
  const verdicts = verdictsOver(traces, 540, 720);
  t.true(verdicts.slice(0, 6).every((v) => v.kind === "waiting"), "nothing is named before the touch");
  const firstNamed = verdicts.findIndex((v) => v.kind === "named");
  t.true(firstNamed >= 0, "named at all");
  t.true(540 + firstNamed * 10 <= 690, `named at ${540 + firstNamed * 10} s (touch at 600 s)`);
  t.true(verdicts.every((v) => v.kind !== "named" || v.rom === touched), "never another ROM");
  t.is(confirmed(verdicts.slice(firstNamed, firstNamed + 2)), touched);
});

test("a heating start that warms the whole node names no sensor", (t) => {
  const traces = node(30, (_rom, i, s) => heating(600)(i, s));
  const verdicts = verdictsOver(traces, 540, 1800);
  const named = verdicts.filter((v) => v.kind === "named");
  t.deepEqual(named.map((v) => (v.kind === "named" ? v.rom : "")), []);
  t.true(verdicts.some((v) => v.kind === "waiting" && v.reason === "everything-warms"), "it says that everything warms");
});

test("a sensor held in a hand while the heating starts is still found, and only it", (t) => {
  const touched = ROMS[5];
  const traces = node(30, (rom, i, s) => heating(600)(i, s) + (rom === touched ? hand(900)(s, 24 + i * 0.7 + heating(600)(i, s)) : 0));
  const verdicts = verdictsOver(traces, 600, 1100);
  const named = verdicts.filter((v) => v.kind === "named").map((v) => (v.kind === "named" ? v.rom : ""));
  t.true(named.length >= 2, `named ${named.length} times`);
  t.deepEqual([...new Set(named)], [touched]);
});

test("a quiet node and too little data name nobody; confirmation needs the same ROM twice", (t) => {
  const traces = node(10, () => 0);
  t.deepEqual(verdictsOver(traces, 300, 600).filter((v) => v.kind === "named"), []);
  t.is(detectTouch(traces.slice(0, 1), T0 + 600).kind, "waiting");
  t.is(detectTouch(traces, T0 + 60_000).kind, "waiting");
  const a: TouchVerdict = { kind: "named", rom: "a", excessK: 5, runnerUp: null, rises: [] };
  const b: TouchVerdict = { ...a, rom: "b" };
  t.is(confirmed([a]), null);
  t.is(confirmed([a, b]), null);
  t.is(confirmed([b, a, a]), "a");
});
