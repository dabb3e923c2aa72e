// Rooms of the twin, built from the house file's circuits. Circuits with the same room name
// heat one room. Each room has an air node (air and furniture) and a building-mass node (walls,
// ceilings), losses to outside, exchange with the rest of the house, internal and solar gains
// (domain §8).

import type { House } from "../shared/house/index.js";

export const DESIGN_OUTDOOR_C = -12;
export const DEFAULT_SETPOINT_C = 20;
export const DEFAULT_DESIGN_LOAD_W_M2 = 40;
/** Air plus furniture, J/(m²K) per m² of floor. */
export const AIR_CAPACITY = 25e3;
/** Walls and ceilings within the thermal envelope, J/(m²K) per m² of floor (τ ≈ 30–100 h). */
export const MASS_CAPACITY = 180e3;
/** Air ↔ mass surface coupling, W/(m²K) per m² of floor (~3 m² of surface at ~3 W/m²K). */
export const AIR_MASS_UA = 9;
/** Exchange with the rest of the house through inner walls and doors, W/K per m² of floor. */
export const NEIGHBOUR_UA = 1.5;
/** Total solar energy transmittance of modern double/triple glazing. */
export const GLAZING_G = 0.5;
/**
 * Large glazing loses more than a design calculation credits it with: cold down-draught and
 * frames of a window front. Extra W/K per m² of window (this is what makes a window-front room
 * run cool when its design load was under-estimated, as in the homeowner's house).
 */
export const WINDOW_EXTRA_UA = 2.0;
/**
 * Real loss over the design-load figure. Design loads in house files are the installer's
 * figures; measured losses of renovated houses typically exceed them (infiltration, thermal
 * bridges). Calibrated so that the homeowner's curve (34 °C at 0 °C) gives ordinary rooms of
 * the example house 20–23 °C, as the homeowner reports.
 */
export const LOSS_FACTOR = 1.35;

export interface RoomSpec {
  name: string;
  areaM2: number;
  setpointC: number;
  /** Loss to outside, W/K. */
  heatLossWK: number;
  windowM2: number;
  internalGainW: number;
  circuitIds: string[];
}

export function buildRooms(house: House): { rooms: RoomSpec[]; roomOfCircuit: number[] } {
  const rooms: RoomSpec[] = [];
  const byName = new Map<string, number>();
  const roomOfCircuit: number[] = [];
  for (const c of house.circuits) {
    let idx = byName.get(c.room);
    if (idx === undefined) {
      idx = rooms.length;
      byName.set(c.room, idx);
      rooms.push({ name: c.room, areaM2: 0, setpointC: DEFAULT_SETPOINT_C, heatLossWK: 0, windowM2: 0, internalGainW: 0, circuitIds: [] });
    }
    const r = rooms[idx];
    const model = c.room_model;
    if (model?.setpoint_c !== undefined) r.setpointC = model.setpoint_c;
    r.areaM2 += c.area_m2;
    r.windowM2 += model?.window_m2 ?? 0;
    r.internalGainW += model?.internal_gain_w ?? 0;
    r.circuitIds.push(c.id);
    roomOfCircuit.push(idx);
  }
  // Loss coefficients after the setpoints are known (a setpoint may come from any circuit).
  house.circuits.forEach((c, i) => {
    const r = rooms[roomOfCircuit[i]];
    const explicit = c.room_model?.heat_loss_w_k;
    const load = c.design_load_w_m2 ?? DEFAULT_DESIGN_LOAD_W_M2;
    r.heatLossWK += explicit ?? (LOSS_FACTOR * load * c.area_m2) / (r.setpointC - DESIGN_OUTDOOR_C);
    if (explicit === undefined) r.heatLossWK += WINDOW_EXTRA_UA * (c.room_model?.window_m2 ?? 0);
  });
  return { rooms, roomOfCircuit };
}

/** Internal gains over the day, mean 1: people and cooking peak in the evening. */
export function gainProfile(localHour: number): number {
  return 1 + 0.6 * Math.cos((2 * Math.PI * (localHour - 19)) / 24);
}
