import test from "ava";
import { DateTime } from "luxon";
import { HouseFileError, parseHouseText } from "../../shared/house/index.js";
import { deriveNodeConfig } from "../../firmware/host/config.js";
import { handleDhwRequest } from "../../firmware/core/dhw/http.js";
import { localTime } from "../../firmware/core/dhw/local-time.js";
import { EXAMPLE, withDhw } from "./helpers.js";

function errors(text: string): string[] {
  try {
    parseHouseText(text, "house.yaml");
    return [];
  } catch (e) {
    if (!(e instanceof HouseFileError)) throw e;
    return e.issues.filter((i) => i.severity === "error").map((i) => `${i.line ?? "?"} ${i.path.join(".")}: ${i.message}`);
  }
}

test("the example's dhw block, enabled, is valid and becomes the node's firmware configuration", (t) => {
  const { house } = parseHouseText(withDhw(), "house.yaml");
  const node = house.nodes.find((n) => n.id === "hkv-eg-nord")!;
  t.is(node.dhw?.max_run_min, 5);
  const cfg = deriveNodeConfig(house, "hkv-eg-nord");
  const d = cfg.dhw!;
  t.like(d, { relay_pin: 25, readback_pin: 26, lower_c: 35, upper_c: 42, max_run_s: 300, min_pause_s: 300, lockout_from_min: 1380, lockout_to_min: 300, line_rom: "28-0316a27970c1", outlet_rom: "28-0316a27970c2", draw_detect: true, fallback_run_s: 180, fallback_max_s_per_h: 600 });
  t.deepEqual(d.inputs, [
    { pin: 27, kind: "motion", active_low: false, debounce_ms: 50 },
    { pin: 14, kind: "door", active_low: true, debounce_ms: 50 },
  ]);
  // The holiday is whole local days: 1 August 00:00 to 16 August 00:00, Berlin summer time.
  t.deepEqual(d.holidays, [[Math.round(DateTime.fromISO("2026-07-31T22:00:00Z").toSeconds()), Math.round(DateTime.fromISO("2026-08-15T22:00:00Z").toSeconds())]]);
  // The node samples the two dhw sensors like any other.
  const roms = cfg.buses[0].sensors.map((s) => s.rom);
  t.true(roms.includes("28-0316a27970c1") && roms.includes("28-0316a27970c2"));
  // The zone travels as offsets: summer noon in Berlin is 12:00 local.
  t.is(localTime(d.tz, Math.round(DateTime.fromISO("2026-07-01T10:00:00Z").toSeconds())).minute, 12 * 60);
  // Without the section, no dhw.
  t.is(deriveNodeConfig(parseHouseText(EXAMPLE, "house.yaml").house, "hkv-eg-nord").dhw, undefined);
  t.is(deriveNodeConfig(parseHouseText(withDhw((b) => b + "\n      enabled: false"), "house.yaml").house, "hkv-eg-nord").dhw, undefined);
});

test("bad dhw settings are refused with where and how to fix", (t) => {
  const cases: [string, (b: string) => string, RegExp][] = [
    ["thresholds", (b) => b.replace("upper_c: 42", "upper_c: 36"), /upper_c.*at least 2 K above lower_c/],
    ["cap above the seed's on-time", (b) => b.replace("max_run_min: 5", "max_run_min: 15"), /max_run_min/],
    ["HH:MM", (b) => b.replace('from: "23:00"', 'from: "11pm"'), /lockout\.from: write it as HH:MM/],
    ["pin twice", (b) => b.replace("readback_pin: 26", "readback_pin: 25"), /GPIO 25 is used twice/],
    ["pin of the OneWire bus", (b) => b.replace("relay_pin: 25", "relay_pin: 16"), /dhw\.relay_pin: GPIO 16 is this node's OneWire bus/],
    ["bus that does not exist", (b) => b.replace("line_sensor: 28-0316a27970c1", "line_sensor: { rom: 28-0316a27970c1, bus: '7' }"), /line_sensor\.bus: bus "7" does not exist/],
    ["bad ROM", (b) => b.replace("28-0316a27970c1", "28-xyz"), /line_sensor/],
    ["fallback above budget", (b) => b.replace("max_min_per_h: 10", "max_min_per_h: 45"), /max_min_per_h/],
    ["holiday backwards", (b) => b.replace("{ from: 2026-08-01, to: 2026-08-15 }", "{ from: 2026-08-15, to: 2026-08-01 }"), /holidays\.0\.to: 2026-08-01 is before 2026-08-15/],
    ["not a date", (b) => b.replace("2026-08-15", "2026-02-30"), /not a calendar date/],
  ];
  for (const [name, edit, want] of cases) {
    const errs = errors(withDhw(edit));
    t.true(errs.some((e) => want.test(e)), `${name}: ${errs.join(" | ")}`);
  }
  // Errors point at the line in the file.
  const [first] = errors(withDhw((b) => b.replace("upper_c: 42", "upper_c: 36")));
  t.regex(first, /^\d+ nodes\.1\.dhw\.upper_c/);
});

test("HTTP: triggers and holiday need the OTA token; status does not", (t) => {
  const calls: string[] = [];
  const target = { demand: (k: string) => void calls.push(k), setHoliday: (on: boolean | null) => void calls.push(`holiday ${on}`), status: () => '{"relay":false}' };
  const req = (m: string, url: string, auth?: string) => handleDhwRequest(m, url, auth, "s3cret-token", target);
  t.is(req("POST", "/dhw/trigger").status, 401);
  t.is(req("POST", "/dhw/trigger", "Bearer wrong").status, 401);
  t.is(req("POST", "/dhw/trigger", "Bearer s3cret-token").status, 200);
  t.is(req("GET", "/dhw/trigger", "Bearer s3cret-token").status, 405);
  t.is(req("POST", "/dhw/holiday?on=1", "Bearer s3cret-token").status, 200);
  t.is(req("POST", "/dhw/holiday?on=auto", "Bearer s3cret-token").status, 200);
  t.is(req("POST", "/dhw/holiday?on=maybe", "Bearer s3cret-token").status, 400);
  t.is(req("GET", "/dhw/status").body, '{"relay":false}');
  t.is(req("GET", "/nope").status, 404);
  t.deepEqual(calls, ["http", "holiday true", "holiday null"]);
  // An unset token never matches, not even an empty bearer.
  t.is(handleDhwRequest("POST", "/dhw/trigger", "Bearer ", "", target).status, 401);
  t.false(req("POST", "/dhw/trigger", "Bearer wrong").body.includes("s3cret"));
});
