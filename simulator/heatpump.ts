// The air-to-water heat pump's controller (domain §8, all parameters [est]):
// - supply target from the heating curve (on a 3-hour mean of the outdoor temperature);
// - switching on the RETURN temperature with a hysteresis: the return set point is the curve's
//   supply less the spread the machine makes at its smallest output, so the machine runs
//   continuously while the load exceeds that output and cycles below it;
// - minimum run and off times; inverter modulation between min_kw and Q_max, or on/off at Q_max;
// - Q_max = Q_nom·(1 + 0.025·(θ_e − θ_rating)), θ_rating = −7 °C (see RATING_OUTDOOR_C);
// - defrost at θ_e ≤ 5 °C every 45–120 min of run, 3–10 min long, extracting 2–5 kW from the water;
// - domestic hot water 1–2 times a day: the three-way valve sends the heat to the tank, the floor
//   keeps circulating and gets nothing.
// - the curve in the controller's own terms (house file plant.heat_pump.controller): Lambda and
//   generic aim the supply, Luxtronik 2 aims the return directly (seed 003);
// - telemetry as ESPAltherma would report it: mode, compressor on/off, starts, electrical power
//   from a Carnot-fraction COP (η = 0.5 of the ideal lift with 8 K of exchanger approaches).

import type { House } from "../shared/house/index.js";
import { controls, targetAtC, type Controller } from "../analyser/curve/controller.js";
import { controllerOf } from "../analyser/curve/house.js";
import { Rng } from "./rng.js";

export type HeatPumpState = "off" | "heating" | "defrost" | "dhw";

/**
 * Outdoor temperature at which nominal_kw is the machine's maximum output. Datasheets give
 * EN 14511 points A7, A2 and A−7; the sizing figure installers quote is usually A−7/W35, so
 * nominal_kw is read there: Q_max = Q_nom·(1 + 0.025·(θ_e − (−7))).
 */
export const RATING_OUTDOOR_C = -7;
/** Compressor ramp time constant, s. */
const RAMP_TAU_S = 120;
/** Outdoor mean the controller uses, s. */
const OUTDOOR_FILTER_S = 3 * 3600;
/** Share of the Carnot COP a real air-to-water machine reaches, and the exchangers' approaches, K. */
const CARNOT_SHARE = 0.5;
const APPROACH_K = 8;
/** Electrical power while defrosting (the compressor runs reversed), W. */
const DEFROST_ELECTRIC_W = 1500;

/** COP at a supply (condensing side) and outdoor (source) temperature. */
export function copAt(supplyC: number, outdoorC: number): number {
  const lift = Math.max(10, supplyC - outdoorC + APPROACH_K);
  return (CARNOT_SHARE * (supplyC + 273.15)) / lift;
}

export class HeatPumpController {
  state: HeatPumpState = "off";
  /** Heat into the floor water now, W (negative while defrosting). */
  powerW = 0;
  supplyTargetC = 0;
  /** Electrical power now, W. */
  electricW = 0;
  /** Compressor starts since the controller was made. */
  starts = 0;
  /** The curve in the controller's terms; the bench changes it as a person would. */
  controller: Controller;
  private returnCurve = false;
  private since: number;
  private runSinceDefrost = 0;
  private nextDefrostAfterS: number;
  private defrostUntil = 0;
  private defrostW = 0;
  private dhwUntil = 0;
  private dhwDay = Number.NaN;
  private dhwStarts: number[] = [];
  private outdoorMean = Number.NaN;
  private readonly rng: Rng;
  private readonly seed: number;
  private readonly hp: House["plant"]["heat_pump"];

  constructor(house: House, seed: number, start: number) {
    this.hp = house.plant.heat_pump;
    this.seed = seed;
    this.rng = new Rng(seed, "heat-pump");
    this.since = start - 86400; // off long enough to start at once
    this.nextDefrostAfterS = this.rng.range(45, 120) * 60;
    this.controller = controllerOf(house);
  }

  maxPowerW(outdoorC: number): number {
    return this.hp.nominal_kw * 1000 * Math.max(0.5, 1 + 0.025 * (outdoorC - RATING_OUTDOOR_C));
  }

  /** Local hours (fractional) of today's DHW starts, drawn per local day. */
  private dhwPlan(localDay: number): number[] {
    if (localDay !== this.dhwDay) {
      const rng = new Rng(this.seed, "dhw" + localDay);
      const n = Math.round(this.hp.dhw_runs_per_day);
      const starts: number[] = [];
      for (let i = 0; i < n; i++) starts.push((5.5 + (i * 24) / Math.max(1, n) + rng.range(-0.5, 0.5) + 24) % 24);
      this.dhwStarts = starts;
      this.dhwDay = localDay;
    }
    return this.dhwStarts;
  }

  /**
   * Advance by dt seconds. `returnC` is the water coming back to the heat pump, `flowWK` the
   * circulating capacity flow. Returns the heat put into the floor water during this step, W.
   */
  step(t: number, dt: number, returnC: number, flowWK: number, outdoorC: number, localHour: number, localDay: number, minFlowWK: number): number {
    const hp = this.hp;
    this.outdoorMean = this.outdoorMean !== this.outdoorMean ? outdoorC : this.outdoorMean + (outdoorC - this.outdoorMean) * (dt / OUTDOOR_FILTER_S);
    const pMax = this.maxPowerW(outdoorC);
    const pMin = Math.min(hp.min_kw * 1000, pMax);
    const reference = hp.kind === "inverter" ? pMin : pMax;
    const spreadK = flowWK > 0 ? reference / flowWK : 0;
    // Luxtronik's curve is a return target already; the others aim the supply.
    const curveC = targetAtC(this.controller, this.outdoorMean);
    const returnCurve = controls(this.controller) === "return";
    this.returnCurve = returnCurve;
    const target = returnCurve ? curveC + spreadK : curveC;
    this.supplyTargetC = target;
    const returnSet = returnCurve ? curveC : target - spreadK;
    const half = hp.hysteresis_k / 2;

    // Domestic hot water takes precedence over everything.
    if (this.state !== "dhw" && hp.dhw_duration_min > 0) {
      for (const start of this.dhwPlan(localDay)) {
        const into = localHour - start;
        if (into >= 0 && into * 3600 < dt) {
          this.state = "dhw";
          this.dhwUntil = t + hp.dhw_duration_min * 60;
          this.powerW = 0;
          this.electricW = 0;
          break;
        }
      }
    }
    if (this.state === "dhw") {
      // The tank is heated to ~50 °C: the compressor works against that, the floor gets nothing.
      this.electricW = this.maxPowerW(outdoorC) / copAt(50, outdoorC);
      if (t < this.dhwUntil) return 0;
      // After the tank is hot the compressor is warm: resume space heating at once if needed.
      this.state = "off";
      this.since = t - hp.min_off_min * 60;
    }
    const flowOk = flowWK >= 0.5 * minFlowWK && flowWK > 0;

    if (this.state === "defrost") {
      if (t < this.defrostUntil) {
        this.powerW = -this.defrostW;
        this.electricW = DEFROST_ELECTRIC_W;
        return this.powerW;
      }
      this.state = "heating";
      this.powerW = 0;
    }
    if (this.state === "off") {
      if (flowOk && t - this.since >= hp.min_off_min * 60 && returnC < returnSet - half) {
        this.state = "heating";
        this.since = t;
        this.starts++;
      }
    } else if (this.state === "heating") {
      if (!flowOk || (t - this.since >= hp.min_run_min * 60 && returnC > returnSet + half)) {
        this.state = "off";
        this.since = t;
      }
    }
    if (this.state !== "heating") {
      this.powerW = 0;
      this.electricW = 0;
      return 0;
    }
    this.runSinceDefrost += dt;
    if (outdoorC <= 5 && this.runSinceDefrost >= this.nextDefrostAfterS) {
      this.state = "defrost";
      this.defrostUntil = t + this.rng.range(3, 10) * 60;
      this.defrostW = this.rng.range(2, 5) * 1000;
      this.runSinceDefrost = 0;
      this.nextDefrostAfterS = this.rng.range(45, 120) * 60;
      this.powerW = -this.defrostW;
      this.electricW = DEFROST_ELECTRIC_W;
      return this.powerW;
    }
    // A return-controlled machine (Luxtronik, seed 003's LIC8E) runs at full output until the return is up.
    const wanted = hp.kind === "inverter" && !returnCurve ? Math.min(pMax, Math.max(pMin, flowWK * (target - returnC))) : pMax;
    this.powerW += (wanted - this.powerW) * (1 - Math.exp(-dt / RAMP_TAU_S));
    this.electricW = this.powerW / copAt(returnC + spreadK, outdoorC);
    return this.powerW;
  }
}
