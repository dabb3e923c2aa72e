import test from "ava";
import { outageWithReboot } from "../../firmware/virtual/scenario.js";
import { testConfig } from "./helpers.js";
import { bundleCore, startXs } from "../../firmware/virtual/xs-host.js";

test("the core bundle runs on XS: an outage with a reboot loses nothing that reached flash, writes nothing invalid", async (t) => {
  const bundle = await bundleCore();
  const xs = await startXs(bundle.path);
  try {
    const config = testConfig([3, 2]);
    const onXs = await xs.call(`globalThis.floorbalance.outageWithReboot(${JSON.stringify(config)}, 2)`);
    t.falsy(onXs.error, onXs.error);
    t.true(onXs.stored > 5 * 360 * 2, JSON.stringify(onXs));
    t.true(onXs.bufferedAtReboot > 5 * 180, "the reboot happened with readings in flash");
    t.is(onXs.missing, 0);
    t.is(onXs.wrongValue, 0);
    t.is(onXs.invalid, 0);
    t.is(onXs.dropped, 0);
    t.true(onXs.rejected.power_on >= 2 && onXs.rejected.crc >= 0);
    // Same scenario on Node: the engines agree reading for reading.
    const onNode = await outageWithReboot(config, 2);
    t.deepEqual(onXs, JSON.parse(JSON.stringify(onNode)));
  } finally {
    await t.notThrowsAsync(xs.close(), "XS closed cleanly (a failed import only shows here)");
    bundle.cleanup();
  }
});
