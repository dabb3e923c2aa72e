import test from "ava";
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startXs } from "../../firmware/virtual/xs-host.js";
import { dhwTwoDays } from "../../firmware/virtual/dhw-scenario.js";
import { dhwConfig, local } from "./helpers.js";

test("the circulation core runs on XS and agrees with Node run for run", async (t) => {
  const entry = fileURLToPath(new URL("../../firmware/virtual/dhw-scenario.ts", import.meta.url));
  const out = await build({ stdin: { contents: `import { dhwTwoDays } from ${JSON.stringify(entry)}; globalThis.dhw = { dhwTwoDays };`, resolveDir: process.cwd(), loader: "ts" }, bundle: true, format: "esm", platform: "neutral", target: "es2022", write: false });
  const dir = mkdtempSync(join(os.tmpdir(), "fb-dhw-xs-"));
  const path = join(dir, "dhw.js");
  writeFileSync(path, out.outputFiles[0].contents);
  const xs = await startXs(path);
  try {
    const config = dhwConfig({ learning: true, stagnation_after_h: 24 });
    const start = local("2026-03-28T00:00"); // across the spring DST change
    const onXs = await xs.call(`globalThis.dhw.dhwTwoDays(${JSON.stringify(config)}, ${start})`);
    t.falsy(onXs.error, onXs.error);
    const onNode = dhwTwoDays(config, start);
    t.deepEqual(onXs, JSON.parse(JSON.stringify(onNode)));
    t.true(onNode.runs >= 4, JSON.stringify(onNode));
    t.true(onNode.longest_s <= 300);
    t.true((onNode.events.disinfection ?? 0) >= 1 && (onNode.events.sensor_fail ?? 0) === 1, JSON.stringify(onNode.events));
  } finally {
    await t.notThrowsAsync(xs.close());
    rmSync(dir, { recursive: true, force: true });
  }
});
