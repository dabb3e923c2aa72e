// Outdoor temperature and sun, from a seed. Default climate: a German late autumn
// (mean +5 °C, nights below the +5 °C defrost threshold). Multi-day variation is a sum of slow sinusoids with random phases (weather
// systems of 2–10 days), the daily cycle has its minimum near 06:00 and maximum near 14:00 local
// time, smaller on overcast days. Sun on vertical glazing follows a half-sine between 08:00 and
// 16:30 local time; its peak depends on the day's clearness.

import { Rng } from "./rng.js";

export interface WeatherOptions {
  /** Mean outdoor temperature over the run, °C. */
  mean_c?: number;
  /** Standard deviation of the multi-day variation, K. */
  multi_day_sd_k?: number;
  /** Daily half-amplitude on a clear day, K. */
  daily_amplitude_k?: number;
}

interface Day {
  clearness: number;
}

export class Weather {
  private readonly mean: number;
  private readonly dailyAmp: number;
  private readonly periods: Float64Array;
  private readonly phases: Float64Array;
  private readonly amps: Float64Array;
  private readonly seed: number;
  private cachedDay = Number.NaN;
  private cached: Day = { clearness: 0.3 };

  constructor(seed: number, opts: WeatherOptions = {}) {
    this.seed = seed;
    this.mean = opts.mean_c ?? 5;
    this.dailyAmp = opts.daily_amplitude_k ?? 3;
    const sd = opts.multi_day_sd_k ?? 3;
    const rng = new Rng(seed, "weather");
    const n = 5;
    this.periods = new Float64Array(n);
    this.phases = new Float64Array(n);
    this.amps = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.periods[i] = rng.range(2, 10) * 86400;
      this.phases[i] = rng.range(0, 2 * Math.PI);
      // A sum of n sinusoids of amplitude a has variance n·a²/2.
      this.amps[i] = sd * Math.sqrt(2 / n) * rng.range(0.7, 1.3);
    }
  }

  private day(dayIndex: number): Day {
    if (dayIndex !== this.cachedDay) {
      const rng = new Rng(this.seed, "day" + dayIndex);
      // Winter: mostly overcast, now and then a clear day.
      this.cached = { clearness: Math.pow(rng.next(), 1.8) };
      this.cachedDay = dayIndex;
    }
    return this.cached;
  }

  /** Clearness of the local day (0 overcast … 1 clear). */
  clearness(localDayIndex: number): number {
    return this.day(localDayIndex).clearness;
  }

  /** Outdoor temperature, °C, at unix time t with the site's local hour of day. */
  outdoorC(t: number, localHour: number, localDayIndex: number): number {
    let v = this.mean;
    for (let i = 0; i < this.periods.length; i++) v += this.amps[i] * Math.sin((2 * Math.PI * t) / this.periods[i] + this.phases[i]);
    const amp = this.dailyAmp * (0.35 + 0.65 * this.day(localDayIndex).clearness);
    v += amp * Math.cos((2 * Math.PI * (localHour - 14)) / 24);
    return v;
  }

  /** Solar irradiance on vertical south-ish glazing, W/m². */
  solarWm2(localHour: number, localDayIndex: number): number {
    if (localHour <= 8 || localHour >= 16.5) return 0;
    const peak = 60 + 440 * this.day(localDayIndex).clearness;
    return peak * Math.sin((Math.PI * (localHour - 8)) / 8.5);
  }
}
