// npm run bench:report — how long the daily report takes to render: the terminal table, the
// Discord messages and the chart PNG, for the example house and for a house of 160 circuits.
// The last line is one JSON object.

import { renderChart } from "../analyser/report/chart.js";
import { renderDiscord } from "../analyser/report/discord.js";
import { renderTerminal } from "../analyser/report/text.js";
import { bigHouse, exampleHouse, fixture } from "../test/report/fixtures.js";

async function time<T>(runs: number, f: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  let value = await f(); // warm-up (module loading, font parsing)
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) value = await f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6 / runs, value };
}

const out: Record<string, number> = {};
for (const [name, house] of [["example", exampleHouse("de")], ["big", bigHouse(40, 30)]] as const) {
  const { analysis, engine } = fixture(house, { lockshield: true, warnings: true });
  const text = await time(20, () => renderTerminal(house, analysis, engine));
  const discord = await time(20, () => renderDiscord(house, analysis, engine, { chartFile: "chart.png" }));
  const chart = await time(5, () => renderChart(analysis, engine));
  console.log(
    `${name} (${house.circuits.length} circuits): terminal ${text.ms.toFixed(1)} ms, discord ${discord.ms.toFixed(1)} ms (${discord.value.length} message(s)), chart ${chart.ms.toFixed(0)} ms (${(chart.value.length / 1024).toFixed(0)} KiB PNG)`,
  );
  Object.assign(out, { [`${name}_terminal_ms`]: +text.ms.toFixed(2), [`${name}_discord_ms`]: +discord.ms.toFixed(2), [`${name}_discord_messages`]: discord.value.length, [`${name}_chart_ms`]: +chart.ms.toFixed(1), [`${name}_chart_kib`]: Math.round(chart.value.length / 1024) });
}
console.log(JSON.stringify(out));
