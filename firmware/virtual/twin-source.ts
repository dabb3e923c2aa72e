// Simulated sensors fed by the house simulator's physical twin: each read asks the twin what the
// sensor's die is at (lag, offset, static error included), advancing the twin to that moment.
import type { House } from "../../shared/house/index.js";
import { Twin } from "../../simulator/index.js";
import type { TemperatureSource } from "./profile.js";

export function twinSource(house: House, start: number, seed: number): TemperatureSource {
  return twinFeed(house, start, seed).source;
}

/** The source and the twin behind it (the BLE air reads the twin's rooms). */
export function twinFeed(house: House, start: number, seed: number): { source: TemperatureSource; twin: Twin; at(wallS: number): Twin } {
  const twin = new Twin(house, { start, seed, sensorFaults: false });
  const at = (wallS: number) => {
    const t = Math.floor(wallS);
    if (t > twin.time) twin.runTo(t);
    return twin;
  };
  return { source: (rom, wallS) => at(wallS).sensorSurfaceC(rom), twin, at };
}
