import type { Command } from "commander";
import { circuitsOf, sensorsOfNode } from "../../shared/house/index.js";
import { configOption, loadHouse } from "../options.js";

export function register(program: Command): void {
  configOption(program.command("check").description("validate the house file and summarise it")).action((opts) => {
    const { house, warnings, file } = loadHouse(opts);
    const sensors = house.nodes.reduce((n, node) => n + sensorsOfNode(house, node.id).length, 0);
    const out: string[] = [];
    out.push(`${file}: valid — ${house.site.name} (${house.site.timezone}, reports in ${house.site.language === "de" ? "German" : "English"})`);
    out.push(`  ${house.nodes.length} nodes, ${house.manifolds.length} manifolds, ${house.circuits.length} circuits, ${sensors} sensors`);
    for (const node of house.nodes) {
      const onNode = sensorsOfNode(house, node.id);
      const perBus = node.buses.map((b) => `bus ${b.id} (GPIO ${b.pin}): ${onNode.filter((s) => s.bus === b.id).length}`).join(", ");
      out.push(`  node ${node.id} (${node.hostname}): ${onNode.length} sensors — ${perBus}; every ${node.interval_s} s at ${node.resolution} bit`);
    }
    for (const m of house.manifolds) {
      const circuits = circuitsOf(house, m.id);
      out.push(`  manifold ${m.id} "${m.name}" on ${m.node}: ${circuits.length} circuits, policy ${m.policy}`);
    }
    if (warnings.length) out.push(`  ${warnings.length} warning${warnings.length === 1 ? "" : "s"} (above)`);
    process.stdout.write(out.join("\n") + "\n");
  });
}
