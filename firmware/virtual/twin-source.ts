// Simulated sensors fed by the house simulator's physical twin: each read asks the twin what the
// sensor's die is at (lag, offset, static error included), advancing the twin to that moment.
import type { House } from "../../shared/house/index.js";
import { Twin } from "../../simulator/index.js";
import type { TemperatureSource } from "./profile.js";

export function twinSource(house: House, start: number, seed: number): TemperatureSource {
  const twin = new Twin(house, { start, seed, sensorFaults: false });
  return (rom, wallS) => {
    const t = Math.floor(wallS);
    if (t > twin.time) twin.runTo(t);
    return twin.sensorSurfaceC(rom);
  };
}
