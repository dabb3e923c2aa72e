// Small robust statistics over plain arrays. NaN values are skipped everywhere.

export function finite(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return out;
}

/** The finite values, sorted ascending (a typed-array sort: numeric, no comparator, fast). */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(finite(values)).sort();
}

/** Quantile by linear interpolation, q in 0…1. NaN for no data. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedFinite(values), q);
}

/** Quantile of values already sorted ascending (see sortedFinite). */
export function quantileSorted(v: Float64Array, q: number): number {
  if (v.length === 0) return NaN;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      s += values[i];
      n++;
    }
  }
  return n ? s / n : NaN;
}

export function sd(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      s += (values[i] - m) ** 2;
      n++;
    }
  }
  return n > 1 ? Math.sqrt(s / (n - 1)) : NaN;
}

/** Median absolute deviation scaled to a normal sd. */
export function robustSd(values: ArrayLike<number>): number {
  const m = median(values);
  const dev = finite(values).map((x) => Math.abs(x - m));
  return 1.4826 * median(dev);
}

/** z for a two-sided 90 % interval. */
export const Z90 = 1.645;

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
