// A hot-water circulation loop for the circulation controller (firmware/core/dhw): the tank,
// its outlet pipe (where the outlet sensor sits), the loop as plug-flow segments that cool
// towards the room, the circulation pump, and draws at a tap half-way round. The line sensor
// sits on the return just before the pump (as in seed 002). Pure: the caller steps it.
//
// Defaults are a small house: 40 m of 16 mm inner pipe (8 l), insulated (τ ≈ 45 min), a
// 4 l/min circulation pump (a full turn ≈ 2.6 min with the pipe's own heat capacity), a 200 l
// tank at 55 °C reheated below 48 °C.

export interface DhwLoopOptions {
  segments: number;
  loopLitres: number;
  /** Segment index of the tap (the end of the supply side). */
  tapSegment: number;
  pumpLpm: number;
  /** Cooling time constant of the insulated loop pipe, s. */
  pipeTauS: number;
  /** Cooling time constant of the tank's outlet pipe, s (shorter: less insulation, small). */
  outletTauS: number;
  /** Pipe wall heat capacity relative to its water: slows the warm front. */
  wallFactor: number;
  ambientC: number;
  coldC: number;
  tankLitres: number;
  tankSetC: number;
  tankOnBelowC: number;
  /** Reheating power as K/s of the whole tank. */
  tankHeatKPerS: number;
  tankLossKPerS: number;
  /** A DS18B20 clamped to a pipe lags the water: first-order, s. */
  sensorTauS: number;
}

export const DEFAULT_LOOP: DhwLoopOptions = Object.freeze({
  segments: 40,
  loopLitres: 8,
  tapSegment: 20,
  pumpLpm: 4,
  pipeTauS: 45 * 60,
  outletTauS: 12 * 60,
  wallFactor: 1.3,
  ambientC: 20,
  coldC: 10,
  tankLitres: 200,
  tankSetC: 55,
  tankOnBelowC: 48,
  tankHeatKPerS: 6000 / (4186 * 200),
  tankLossKPerS: 0.5 / 3600,
  sensorTauS: 30,
});

export class DhwLoop {
  readonly o: DhwLoopOptions;
  readonly seg: number[];
  outletC: number;
  tankC: number;
  pump = false;
  /** Current tap flow, l/min. */
  drawLpm = 0;
  private heating = false;
  /** A thermal-disinfection target above the set point, while one runs. */
  disinfectToC: number | null = null;
  /** The line sensor reads nothing (a broken cable): for fail-safe scenarios. */
  sensorFailed = false;

  constructor(options: Partial<DhwLoopOptions> = {}) {
    this.o = { ...DEFAULT_LOOP, ...options };
    this.seg = new Array(this.o.segments).fill(this.o.ambientC + 5);
    this.outletC = this.o.ambientC + 5;
    this.tankC = this.o.tankSetC;
    this.lineSensorC = this.lineC;
    this.outletSensorC = this.outletC;
  }

  /** What the sensors read (lagging the water). */
  lineSensorC: number;
  outletSensorC: number;

  /** The water in the line at the sensor: the last segment (return, near the pump). */
  get lineC(): number {
    return this.seg[this.seg.length - 1];
  }

  step(dtS: number): void {
    const o = this.o;
    const segL = o.loopLitres / o.segments;
    const pumpLps = this.pump ? o.pumpLpm / 60 : 0;
    const drawLps = this.drawLpm / 60;
    const maxF = ((pumpLps + drawLps) * dtS) / segL / o.wallFactor;
    const n = Math.max(1, Math.ceil(maxF / 0.8));
    const h = dtS / n;
    for (let k = 0; k < n; k++) this.substep(h, segL, pumpLps, drawLps);
  }

  private substep(h: number, segL: number, pumpLps: number, drawLps: number): void {
    const o = this.o;
    const s = this.seg;
    const supplyLps = pumpLps + drawLps;
    // Outlet pipe: tank water while anything flows, else it cools to the room.
    if (supplyLps > 0) this.outletC += Math.min(1, (supplyLps * h) / 0.3) * (this.tankC - this.outletC);
    else this.outletC += (h / o.outletTauS) * (o.ambientC - this.outletC);
    // Advection, upwind, from the far end back so each segment takes its upstream neighbour's old value.
    const returned = pumpLps > 0 ? s[s.length - 1] : 0;
    for (let i = s.length - 1; i >= 0; i--) {
      const lps = i <= o.tapSegment ? supplyLps : pumpLps;
      if (lps === 0) continue;
      const upstream = i === 0 ? this.outletC : s[i - 1];
      s[i] += ((lps * h) / segL / o.wallFactor) * (upstream - s[i]);
    }
    // Cooling of the loop.
    const a = h / o.pipeTauS;
    for (let i = 0; i < s.length; i++) s[i] += a * (o.ambientC - s[i]);
    // Tank: cold water replaces what is drawn, the loop returns cooler water, standing loss, reheat.
    const V = o.tankLitres;
    this.tankC += ((drawLps * h) / V) * (o.coldC - this.tankC);
    if (pumpLps > 0) this.tankC += ((pumpLps * h) / V) * (returned - this.tankC);
    this.tankC -= o.tankLossKPerS * h;
    const target = this.disinfectToC ?? o.tankSetC;
    if (this.tankC < (this.disinfectToC ?? o.tankOnBelowC)) this.heating = true;
    if (this.tankC >= target) {
      this.heating = false;
      if (this.disinfectToC !== null) this.disinfectToC = null;
    }
    if (this.heating) this.tankC += o.tankHeatKPerS * h;
    const lag = Math.min(1, h / o.sensorTauS);
    this.lineSensorC += lag * (this.lineC - this.lineSensorC);
    this.outletSensorC += lag * (this.outletC - this.outletSensorC);
  }
}
