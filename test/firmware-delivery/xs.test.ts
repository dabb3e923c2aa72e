// The delivery core on XS, the engine the ESP32 runs: same outcomes as on Node.
import test from "ava";
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startXs } from "../../firmware/virtual/xs-host.js";
import { deliveryScenario } from "./xs-scenario.js";

test("update session, rollback, safe mode and /status behave identically on XS", async (t) => {
  const entry = fileURLToPath(new URL("./xs-scenario.ts", import.meta.url));
  const bundle = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", target: "es2022", write: false });
  const dir = mkdtempSync(join(os.tmpdir(), "fb-xs-delivery-"));
  const path = join(dir, "delivery.js");
  writeFileSync(path, bundle.outputFiles[0]!.contents);
  const xs = await startXs(path);
  try {
    const onXs = await xs.call("globalThis.floorbalanceDelivery.deliveryScenario()");
    t.falsy(onXs.error, onXs.error);
    const onNode = deliveryScenario();
    t.deepEqual(onXs, JSON.parse(JSON.stringify(onNode)));
    t.deepEqual(onNode.good, [200, "installed", 1]);
    for (const failure of ["wrong_token", "too_large", "truncated", "hash_mismatch", "stalled"]) t.is((onNode[failure] as unknown[])[2], 0, `${failure}: boot slot unchanged`);
    t.deepEqual(onNode.probation, ["none", "mark_valid"]);
    t.deepEqual(onNode.safe_modes, [false, false, true, true]);
  } finally {
    await t.notThrowsAsync(xs.close(), "XS closed cleanly (a failed import only shows here)");
    rmSync(dir, { recursive: true, force: true });
  }
});
