// A simple thermal profile for simulated sensors when no house twin drives them: a supply that
// follows a daily heating curve, returns a few kelvin below it, a per-ROM spread. Portable.

export type TemperatureSource = (rom: string, wallS: number) => number | null;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

export function thermalProfile(roles: Map<string, "supply" | "return" | "circuit"> = new Map()): TemperatureSource {
  return (rom, wallS) => {
    const day = (2 * Math.PI * (wallS % 86400)) / 86400;
    const supply = 33 + 2.5 * Math.cos(day - Math.PI); // warmest at night, when it is coldest outside
    const role = roles.get(rom) ?? "circuit";
    if (role === "supply") return supply;
    if (role === "return") return supply - 5;
    return supply - 3 - 5 * hash(rom) + 0.2 * Math.sin(wallS / 600 + 10 * hash(rom));
  };
}
