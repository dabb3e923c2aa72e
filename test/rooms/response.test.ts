import test from "ava";
import { circuitHeatW, exclusions, expectedShownAt, fitResponse, type HourlyRoom } from "../../analyser/rooms/response.js";

/** A first-order room: τ = 30 h, 0.004 K per W, 0.3 K per K outdoor, a flow step at hour 100. */
function simulateRoom(hours: number, tau = 30, gain = 0.004, noise = 0.03): HourlyRoom {
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  const h: HourlyRoom = { room_c: [], return_c: [], heat: [], outdoor_c: [] };
  let T = 20;
  const alpha = Math.exp(-1 / tau);
  for (let k = 0; k < hours; k++) {
    const outdoor = 2 + 4 * Math.sin((2 * Math.PI * k) / 24);
    const heat = (k < 100 ? 1000 : 1300) + 150 * Math.sin((2 * Math.PI * k) / 17);
    h.room_c.push(T + noise * rnd());
    h.return_c.push(28 + heat / 500);
    h.heat.push(heat);
    h.outdoor_c.push(outdoor);
    const eq = gain * heat + 0.3 * outdoor + 14;
    T = alpha * T + (1 - alpha) * eq;
  }
  return h;
}

test("the fit recovers the room's time constant and gain from hourly data", (t) => {
  const r = fitResponse(simulateRoom(240));
  t.true(r.ok);
  if (!r.ok) return;
  t.true(Math.abs(r.fit.tau_h - 30) / 30 < 0.25, `τ ${r.fit.tau_h}`);
  t.true(Math.abs(r.fit.gain_k_per_unit - 0.004) / 0.004 < 0.3, `gain ${r.fit.gain_k_per_unit}`);
  t.true(r.fit.rms_k < 0.1);
});

test("too little data or no excitation is said, not guessed", (t) => {
  t.deepEqual(fitResponse(simulateRoom(20)), { ok: false, reason: "too-few-hours" });
  const flat = simulateRoom(100);
  flat.heat = flat.heat.map(() => 0);
  flat.outdoor_c = flat.outdoor_c.map(() => 0);
  t.false(fitResponse(flat).ok);
});

test("an open window, a sunny afternoon and a set-back are left out", (t) => {
  const h = simulateRoom(48, 30, 0.004, 0);
  // Window opened at hour 10: the room drops 1.2 K, the returns do not move.
  h.room_c[10] -= 1.2;
  h.room_c[11] -= 0.6;
  // The heat pump is off 20–23 h (set-back), and the sun lifts the room by 0.8 K at hour 22.
  for (let k = 20; k <= 23; k++) h.heat[k] = 0;
  h.room_c[22] += 0.8;
  const ex = exclusions(h);
  t.is(ex[10], "open-window");
  t.is(ex[9], "open-window");
  t.is(ex[12], "open-window", "the recovery too");
  t.is(ex[22], "gain");
  t.is(ex[20], "set-back");
  t.is(ex[30], null);
  t.is(ex.filter((e) => e === null).length, 48 - 4 - 4, "window 9–12, set-back and gain 20–23");
});

test("a change shows after about two time constants; one too small to see never does", (t) => {
  t.is(expectedShownAt(0, 30, 0.8, 0.2), Math.round(-30 * Math.log(0.14) * 3600));
  t.true(expectedShownAt(0, 30, 0.8, 0.2)! / 3600 > 58 && expectedShownAt(0, 30, 0.8, 0.2)! / 3600 < 60);
  t.is(expectedShownAt(0, 30, 0.1, 0.2), null);
  t.is(Math.round(circuitHeatW(2, 35, 30)), 698);
});
