// A tap being opened, seen from the hot-water outlet of the tank: the outlet pipe cools while
// nobody draws, and warms fast when water flows. esphome-hotcirc's rule: the temperature rises
// at ≥ 0.01 K/s over ≥ 15 s and more than 1.5 K above the recent minimum. A detection is an
// edge: the detector re-arms only once the outlet has stopped rising. Portable.

export const DRAW_SLOPE_K_PER_S = 0.01;
export const DRAW_SPAN_S = 15;
export const DRAW_RISE_K = 1.5;
/** How far back the minimum is looked for. */
export const DRAW_WINDOW_S = 180;

export class DrawDetector {
  private samples: number[] = []; // flat pairs [t, c, …], oldest first
  private armed = true;

  /** Feed one outlet reading; true exactly once per draw onset. */
  push(tS: number, c: number): boolean {
    const s = this.samples;
    s.push(tS, c);
    while (s.length > 2 && s[0] < tS - DRAW_WINDOW_S) s.splice(0, 2);
    let min = c;
    let before = -1;
    for (let i = 0; i < s.length; i += 2) {
      if (s[i + 1] < min) min = s[i + 1];
      if (s[i] <= tS - DRAW_SPAN_S) before = i;
    }
    if (before < 0) return false;
    const slope = (c - s[before + 1]) / (tS - s[before]);
    const rising = slope >= DRAW_SLOPE_K_PER_S && c - min > DRAW_RISE_K;
    if (!rising) {
      if (slope <= 0) this.armed = true;
      return false;
    }
    if (!this.armed) return false;
    this.armed = false;
    return true;
  }

  /** Forget the history (the pump moved water past the outlet: that rise is not a draw). */
  reset(): void {
    this.samples = [];
    this.armed = false;
  }
}
