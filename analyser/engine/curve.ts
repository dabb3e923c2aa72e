// Lowering the heating curve once balanced (domain §6): a room follows the mean water temperature
// with dθ_i/dθ_m ≈ 0.7–0.85, so the curve can come down by the smallest room surplus / 0.8.

export const ROOM_FOLLOWS_WATER = 0.8;

/** How far the supply can come down, K (0 when some room has no surplus). */
export function curveLowering(rooms: { roomC: number; targetC: number }[]): number {
  if (rooms.length === 0) return 0;
  const smallestSurplus = Math.min(...rooms.map((r) => r.roomC - r.targetC));
  if (!(smallestSurplus > 0)) return 0;
  return Math.floor((smallestSurplus / ROOM_FOLLOWS_WATER) * 10) / 10;
}
