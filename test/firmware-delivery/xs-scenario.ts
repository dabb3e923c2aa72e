// One scenario over the portable delivery core, run unchanged on Node and on XS (the device's
// engine) by xs.test.ts: the engines must agree outcome for outcome. No Node or Moddable imports.
// The digest here is a stand-in (FNV-1a, not SHA-256): XS has no crypto without Moddable's
// `crypt`; what is under test is the state machine, not the hash.
import { UpdateEndpoint, type Digest, type UpdateSlot } from "../../firmware/core/ota/update-session.js";
import { afterReset, installed, markedValid, type SlotTable } from "../../firmware/core/ota/boot-slots.js";
import { observe, startProbation } from "../../firmware/core/ota/rollback.js";
import { FRESH_RECORD, onBoot } from "../../firmware/core/ota/safe-mode.js";
import { statusJson } from "../../firmware/core/ota/status.js";

function fnv(): Digest {
  let h = 0x811c9dc5;
  return {
    write(chunk) {
      for (let i = 0; i < chunk.length; i++) h = Math.imul(h ^ chunk[i]!, 0x01000193) >>> 0;
    },
    hex: () => h.toString(16).padStart(8, "0").repeat(8),
  };
}
function fnvOf(bytes: Uint8Array): string {
  const d = fnv();
  d.write(bytes);
  return d.hex();
}

export function deliveryScenario(): Record<string, unknown> {
  let clock = 0;
  let boot = 0;
  const written: number[] = [];
  const slot = (): UpdateSlot => ({
    capacity: 4096,
    begin: () => void (written.length = 0),
    write: (c) => void written.push(c.length),
    cancel: () => undefined,
    commit: () => void (boot = 1 - boot),
  });
  const endpoint = new UpdateEndpoint({ token: "t0ken-xyz", openSlot: slot, createDigest: fnv, now: () => clock });
  const image = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
  const hdr = { authorization: "Bearer t0ken-xyz", contentLength: "3000", sha256: fnvOf(image) };
  const out: Record<string, unknown> = {};
  const run = (name: string, body: Uint8Array, over: Partial<typeof hdr> = {}, end: "finish" | "stall" = "finish") => {
    const s = endpoint.open({ ...hdr, ...over });
    if (s.kind === "refused") return void (out[name] = [s.status, s.reason, boot]);
    for (let i = 0; i < body.length; i += 512) s.write(body.subarray(i, i + 512), clock);
    if (end === "stall") {
      clock += 20_000;
      const r = endpoint.tick()!;
      return void (out[name] = [r.status, r.reason, boot]);
    }
    const r = s.finish();
    out[name] = [r.status, r.reason, boot];
  };
  run("wrong_token", image, { authorization: "Bearer nope" });
  run("too_large", image, { contentLength: "99999" });
  run("truncated", image.subarray(0, 1000));
  run("hash_mismatch", image, { sha256: fnvOf(image.subarray(1)) });
  run("stalled", image.subarray(0, 2000), {}, "stall");
  clock += 120_000; // past the refusal window
  run("good", image);
  out.chunks = written.length;

  let table: SlotTable = { boot: 0, states: ["valid", "undefined"] };
  table = afterReset(installed(table));
  let p = startProbation(table.states[table.boot]);
  const actions: string[] = [];
  for (const [t, kind] of [[10, "sensors_read"], [20, "influx_write_ok"]] as const) {
    const step = observe(p, { kind }, t);
    p = step.probation;
    actions.push(step.action);
  }
  out.probation = actions;
  out.after_valid_reset = afterReset(markedValid(table)).boot;
  out.crash_before_health = afterReset(afterReset(installed(table))).boot;
  let record = FRESH_RECORD;
  const modes: boolean[] = [];
  for (const reason of ["panic", "watchdog", "panic", "power_on"] as const) {
    const b = onBoot(record, reason);
    record = b.record;
    modes.push(b.safeMode);
  }
  out.safe_modes = modes;
  out.status = statusJson({ node: "n", firmware: "1", uptime_s: 5.5, reset_reason: "panic", safe_mode: true, now: 100, buses: [{ id: "0", pin: 16, sensors: [{ rom: "28-0316a2795f77", mapped: true, last_c: 21.456, last_time: 90, rejected: 0 }] }], buffer: { depth: 0, dropped: 0 }, write: { status: "none", http_status: 0, last_ok: null } });
  return out;
}

(globalThis as any).floorbalanceDelivery = { deliveryScenario };
