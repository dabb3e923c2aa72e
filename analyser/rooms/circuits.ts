// A room's circuits share its temperature and move together, in proportion to their heated area.
// Pure views over the house's circuits, for the engine's room policy and the report's questions.

/** Each circuit of `room` with its share of the room's heated area (shares sum to 1). */
export function roomCircuitShares(circuits: readonly { id: string; room: string; area_m2: number }[], room: string): Map<string, number> {
  const own = circuits.filter((c) => c.room === room);
  const total = own.reduce((a, c) => a + c.area_m2, 0);
  return new Map(own.map((c) => [c.id, total > 0 ? c.area_m2 / total : 1 / own.length]));
}

/** Heated floor area per room from the house's circuits. */
export function areaByRoom(circuits: readonly { room: string; area_m2: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of circuits) out.set(c.room, (out.get(c.room) ?? 0) + c.area_m2);
  return out;
}
