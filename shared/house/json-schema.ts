import { z } from "zod";
import { house } from "./schema.js";

/** JSON Schema of the house file as a user writes it (defaults optional). */
export function houseJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(house, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://floorbalance.invalid/house.schema.json",
    title: "floorbalance house file",
    description: "One file describes the installation: site, InfluxDB, ESP32 nodes, plant, manifolds, circuits, analysis and Discord. Secrets never go here.",
  };
}
