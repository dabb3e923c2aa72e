import test from "ava";
import { areaByRoom, roomsToAsk } from "../../analyser/rooms/ask.js";
import { estimateRooms } from "../../analyser/rooms/estimate.js";
import type { Room } from "../../shared/house/index.js";

const H = 3600;
const end = 1_767_225_600;
const window = { start: end - 24 * H, end };
const ha = (entity_id: string, offset_k = 0) => ({ entity_id, measurement: "°C", offset_k, stale_after_h: 6 });
const ble = (mac: string) => ({ mac, offset_k: 0, stale_after_h: 1 });
const rooms: Room[] = [
  { name: "Wohnen/Essen", target_c: 21, circuits: ["eg-1", "eg-2", "eg-3"], ha: ha("sensor.wohnen", -0.3) },
  { name: "Bad", target_c: 23, circuits: ["og-3"], ble: ble("a4:c1:38:00:00:01") },
  { name: "Schlafen", target_c: 19, circuits: ["og-1"], ha: ha("sensor.schlafen"), ble: ble("a4:c1:38:00:00:02") },
  { name: "Flur", target_c: 20, circuits: ["eg-4"] },
  { name: "Kind", target_c: 20, circuits: ["og-2"], ha: ha("sensor.kind_typo") },
  { name: "Speisekammer", target_c: 18, circuits: ["eg-5"] },
];
const minutes = (value: number, from = window.start, to = window.end) => Array.from({ length: Math.floor((to - from) / 60) }, (_, i) => ({ time: from + i * 60, value }));

test("each room from its sources; the target is never taken for a temperature", (t) => {
  const readings = {
    ha: new Map([
      ["sensor.wohnen", [{ time: window.start - 5 * H, value: 21.9 }, { time: window.start + 12 * H, value: 21.7 }]],
      ["sensor.schlafen", [{ time: window.start, value: 19.6 }]],
    ]),
    ble: new Map([
      ["a4:c1:38:00:00:01", minutes(22.1)],
      ["a4:c1:38:00:00:02", minutes(19.2)],
    ]),
  };
  const votes = [{ room: "Flur", vote: "too-warm" as const, time: end - 10 * H }];
  const e = new Map(estimateRooms(rooms, readings, votes, window).map((r) => [r.room, r]));
  // Held 21.9 until 12 h into the window, then 21.7; stale after 6 h without change: 21.9 covers
  // 1 h (written 5 h before the window), 21.7 covers 6 h → 7/24 < 50 % → stale.
  t.is(e.get("Wohnen/Essen")!.source, "none");
  t.true(e.get("Wohnen/Essen")!.stale);
  t.is(e.get("Wohnen/Essen")!.temperature_c, null, "a stale thermometer is not replaced by the target");
  t.deepEqual(e.get("Wohnen/Essen")!.problems, [{ room: "Wohnen/Essen", source: "ha", id: "sensor.wohnen", kind: "stale", age_h: 12 }]);
  t.like(e.get("Bad")!, { source: "ble", temperature_c: 22.1, deviation_k: -0.9, stale: false });
  // Two thermometers: inverse-variance mean, closer to the BLE one; the HA one went stale after 6 h → only BLE counts.
  t.like(e.get("Schlafen")!, { source: "ble", temperature_c: 19.2, stale: true });
  t.like(e.get("Flur")!, { source: "vote", temperature_c: 21, deviation_k: 1, interval_k: 1, stale: false });
  t.like(e.get("Kind")!, { source: "none", temperature_c: null, deviation_k: null, stale: true });
  t.deepEqual(e.get("Kind")!.problems.map((p) => p.kind), ["missing"]);
  t.like(e.get("Speisekammer")!, { source: "none", temperature_c: null, stale: false });
});

test("two fresh thermometers are combined, the votes shift the target, offsets apply", (t) => {
  const readings = { ha: new Map([["sensor.schlafen", minutes(19.6)]]), ble: new Map([["a4:c1:38:00:00:02", minutes(19.2)]]) };
  const votes = [{ room: "Schlafen", vote: "too-cold" as const, time: end - 30 * H }];
  const s = estimateRooms(rooms, readings, votes, window).find((r) => r.room === "Schlafen")!;
  t.is(s.source, "ha+ble");
  t.true(s.temperature_c! > 19.2 && s.temperature_c! < 19.4, String(s.temperature_c));
  t.true(s.interval_k! < 0.21);
  t.true(s.target_shift_k > 0.45 && s.target_shift_k <= 0.5, "one step, decayed for 30 h");
  t.is(s.effective_target_c, 19 + s.target_shift_k);
  const w = estimateRooms(rooms, { ha: new Map([["sensor.wohnen", minutes(21.5)]]), ble: new Map() }, [], window).find((r) => r.room === "Wohnen/Essen")!;
  t.is(w.temperature_c, 21.2, "−0.3 K offset");
});

test("the report asks about the rooms it knows least about, largest first, never a measured one", (t) => {
  const readings = { ha: new Map(), ble: new Map([["a4:c1:38:00:00:01", minutes(22.1)]]) };
  const votes = [{ room: "Flur", vote: "ok" as const, time: end - 3 * 24 * H }];
  const e = estimateRooms(rooms, readings, votes, window);
  const area = areaByRoom([{ room: "Wohnen/Essen", area_m2: 45 }, { room: "Flur", area_m2: 12 }, { room: "Kind", area_m2: 14 }, { room: "Speisekammer", area_m2: 3 }, { room: "Schlafen", area_m2: 16 }, { room: "Bad", area_m2: 9 }]);
  const ask = roomsToAsk(e, area, end, 3);
  t.deepEqual(ask.map((a) => a.room), ["Wohnen/Essen", "Schlafen", "Kind"]);
  t.false(ask.some((a) => a.room === "Bad"));
  t.is(ask[0].reason, "stale-thermometer");
  // Flur was asked three days ago: it ranks below every never-asked room.
  t.is(roomsToAsk(e, area, end, 10).at(-1)!.room, "Flur");
});

test("a room's circuits move together in proportion to their area", async (t) => {
  const { roomCircuitShares } = await import("../../analyser/rooms/circuits.js");
  const s = roomCircuitShares([{ id: "eg-1", room: "Wohnen/Essen", area_m2: 20 }, { id: "eg-2", room: "Wohnen/Essen", area_m2: 15 }, { id: "eg-3", room: "Wohnen/Essen", area_m2: 15 }, { id: "eg-4", room: "Küche", area_m2: 12 }], "Wohnen/Essen");
  t.deepEqual([...s], [["eg-1", 0.4], ["eg-2", 0.3], ["eg-3", 0.3]]);
});
