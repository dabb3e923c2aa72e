// Balance between manifolds (issue 7). The spread policies' targets are relative within a
// manifold, so a manifold whose circuits all carry too little flow for their heat looks balanced
// from inside. Against the other manifolds it shows: its mean spread is well above theirs. Its
// circuits are then raised together, each towards its own target scaled to the others' level,
// so the balance within it stays as it is.

import { weightedMeanSpread } from "./targets.js";
import { ENGINE_TUNING } from "./tuning.js";

/**
 * A manifold is under-supplied when its mean spread exceeds the other manifolds' by more than
 * this share of theirs (and by more than twice the dead band). Spreads of whole manifolds differ
 * by ±20 % with the rooms they heat; this is beyond that.
 */
export const UNDER_SUPPLY_SHARE = ENGINE_TUNING.underSupplyShare;

export interface ManifoldSpread {
  manifold: string;
  /** Flow-weighted mean spread of its judged circuits, K. */
  meanSpreadK: number;
  /** Sum of its judged circuits' flows, l/min. */
  flowLpm: number;
}

export interface UnderSupply {
  manifold: string;
  meanSpreadK: number;
  othersMeanK: number;
  /** Factor on its circuits' target spreads: the others' mean ÷ its own. */
  scale: number;
}

/**
 * The under-supplied manifolds among those judged today under a spread policy. The caller asks
 * only once the balance within every manifold is done: before that the means still move with
 * the circuits' own changes.
 */
export function underSupplied(manifolds: ManifoldSpread[], deadBandK: number): UnderSupply[] {
  const out: UnderSupply[] = [];
  for (const m of manifolds) {
    if (!(m.meanSpreadK > 0)) continue;
    const others = manifolds.filter((o) => o !== m && o.meanSpreadK > 0 && o.flowLpm > 0);
    if (others.length === 0) continue;
    const othersMeanK = weightedMeanSpread(others.map((o) => ({ spreadK: o.meanSpreadK, flowLpm: o.flowLpm })));
    const excess = m.meanSpreadK - othersMeanK;
    if (excess > Math.max(ENGINE_TUNING.underSupplyBands * deadBandK, UNDER_SUPPLY_SHARE * othersMeanK)) {
      out.push({ manifold: m.manifold, meanSpreadK: m.meanSpreadK, othersMeanK, scale: othersMeanK / m.meanSpreadK });
    }
  }
  return out;
}
