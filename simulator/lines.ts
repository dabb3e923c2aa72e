// Line-protocol text for the simulator's hot path. A temperature line differs between readings
// only in the value and the time, so each sensor's prefix is built once with the shared encoder
// and the rest is appended; test/simulator/lines.test.ts proves the result is byte-identical to
// encodePoint(temperaturePoint(…)).

import { encodePoint } from "../shared/line-protocol.js";
import { temperaturePoint } from "../shared/measurements.js";

/** `temperature,bus=…,mapped=…,node=…,rom=… celsius=` for one sensor. */
export function temperaturePrefix(node: string, bus: string, rom: string, mapped: boolean): string {
  const line = encodePoint(temperaturePoint({ node, bus, rom, mapped, celsius: 1.5, time: 0 }));
  return line.slice(0, line.lastIndexOf("celsius=") + "celsius=".length);
}

/** The float text encodePoint writes for a finite number (always with a decimal point or exponent). */
export function floatText(value: number): string {
  const text = String(value);
  return text.indexOf(".") >= 0 || text.indexOf("e") >= 0 ? text : text + ".0";
}

/** One temperature line with its newline. */
export function temperatureLine(prefix: string, celsius: number, time: number): string {
  return prefix + celsiusText(celsius) + " " + time + "\n";
}

// DS18B20 values are whole sixteenths of a kelvin over −55…+125 °C, so the text of every
// possible value is made once.
const SIXTEENTHS_MIN = -55 * 16;
const SIXTEENTHS_MAX = 125 * 16;
const TEXT_BY_SIXTEENTH: string[] = [];
for (let k = SIXTEENTHS_MIN; k <= SIXTEENTHS_MAX; k++) TEXT_BY_SIXTEENTH.push(floatText(k / 16));

/** floatText(celsius), from a table when celsius is a whole number of sixteenths in range. */
export function celsiusText(celsius: number): string {
  const k = celsius * 16;
  if (k === Math.floor(k) && k >= SIXTEENTHS_MIN && k <= SIXTEENTHS_MAX) return TEXT_BY_SIXTEENTH[k - SIXTEENTHS_MIN];
  return floatText(celsius);
}
