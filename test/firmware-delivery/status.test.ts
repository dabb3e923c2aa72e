// GET /status: the contract's shape, ages, and no secrets even when the source carries them.
import test from "ava";
import { buildStatus, statusJson, type StatusSource } from "../../firmware/core/ota/status.js";

const source: StatusSource = {
  node: "hkv-eg-sued",
  firmware: "0.2.0",
  uptime_s: 3600.7,
  reset_reason: "software",
  safe_mode: false,
  now: 1_800_000_000,
  buses: [
    {
      id: "0",
      pin: 16,
      sensors: [
        { rom: "28-0316a2795f77", mapped: true, last_c: 34.56789, last_time: 1_799_999_990, rejected: 2 },
        { rom: "28-0316a2796bb7", mapped: false, last_c: null, last_time: null, rejected: 0 },
      ],
    },
  ],
  buffer: { depth: 12, dropped: 0 },
  write: { status: "ok", http_status: 204, last_ok: 1_799_999_995 },
  image: { state: "pending_verify", waiting_for: ["influx_write"], deadline_s: 120 },
  ota: { busy: false },
};

test("the document has the contract's fields, rounded, with ages from the device clock", (t) => {
  const doc = buildStatus(source);
  t.deepEqual(Object.keys(doc).slice(0, 8), ["node", "firmware", "uptime_s", "reset_reason", "safe_mode", "buses", "buffer", "write"]);
  t.is(doc.uptime_s, 3600);
  t.deepEqual(doc.buses[0]!.sensors[0], { rom: "28-0316a2795f77", mapped: true, last_c: 34.57, last_time: 1_799_999_990, age_s: 10, rejected: 2 });
  t.is(doc.buses[0]!.sensors[1]!.age_s, null);
  t.is(buildStatus({ ...source, now: 0 }).buses[0]!.sensors[0]!.age_s, null, "no age while the clock is unset");
  t.deepEqual(doc.image, { state: "pending_verify", waiting_for: ["influx_write"], deadline_s: 120 });
});

test("nothing outside the listed fields gets through: secrets in the source never reach the JSON", (t) => {
  const leaky = { ...source, ota_token: "tok-123456", wifi_password: "pw-987654", influx_password: "ip-555", write: { ...source.write, password: "ip-555" } } as StatusSource;
  const json = statusJson(leaky);
  for (const secret of ["tok-123456", "pw-987654", "ip-555", "password", "token"]) t.false(json.includes(secret), secret);
});
