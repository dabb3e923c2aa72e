// The closed loop, short: simulator → file source → analyse → recommend → a person adjusts the
// next morning. Two small random houses (one manifold each) must end balanced in the TRUE
// spreads, in few rounds and without a single oscillation.

import test from "ava";
import { randomHouse } from "../../simulator/index.js";
import { runLoop } from "../../bench/convergence-loop.js";

const START = Date.UTC(2026, 0, 12) / 1000;

for (const seed of [11, 17]) {
  test(`closed loop converges on small random house ${seed}`, async (t) => {
    const { house } = randomHouse(seed, { manifolds: 1 });
    const out = await runLoop(house, { seed, days: 8, start: START, strategy: "engine" });
    t.log(out.days.map((d) => `day ${d.day + 1}: worst ${d.worstK.toFixed(2)} K, ${d.actions} change(s)`).join("; "));
    t.not(out.balancedDay, undefined, "balanced within 8 days");
    t.true(out.rounds >= 1, "it needed at least one adjustment");
    t.true(out.rounds <= 3, `rounds ${out.rounds}`);
    t.is(out.oscillations, 0);
    // The first judgement was not balanced; the last one is.
    t.false(out.days[0]!.balanced);
    t.true(out.days[out.days.length - 1]!.balanced);
  });
}
