import test from "ava";
import { renderChart, renderChartSvg, chartRows } from "../../analyser/report/chart.js";
import { exampleHouse, fixture } from "./fixtures.js";

function pngSize(png: Uint8Array): { width: number; height: number } {
  const v = new DataView(png.buffer, png.byteOffset);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

test("the chart is a PNG, phone-sized, the same bytes every time", async (t) => {
  const house = exampleHouse("de");
  const { analysis, engine } = fixture(house);
  const a = await renderChart(analysis, engine);
  const b = await renderChart(analysis, engine);
  t.deepEqual([...a.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  t.deepEqual(Buffer.from(a), Buffer.from(b));
  const { width, height } = pngSize(a);
  t.true(width >= 1200 && width <= 2400, `width ${width}`);
  t.true(height > width * 0.8, `tall, one column: ${width}x${height}`);
});

test("the chart shows every judged circuit grouped by manifold and the trend, with German labels", async (t) => {
  const house = exampleHouse("de");
  const { analysis, engine } = fixture(house);
  t.is(chartRows(analysis, engine).length, house.circuits.length);
  const svg = await renderChartSvg(analysis, engine);
  for (const m of house.manifolds) t.true(svg.includes(`>${m.name}<`), m.name);
  t.true(svg.includes("Speisekammer"));
  t.true(svg.includes("Größte Abweichung je Zyklus"));
});
