// Rollback decisions (the firmware's probation over ESP-IDF's bootloader model) and boot-loop
// safe mode: entry, staying, exit.
import test from "ava";
import { afterReset, FACTORY_FLASHED, installed, markedInvalid, markedValid, type SlotTable } from "../../firmware/core/ota/boot-slots.js";
import { DEFAULT_HEALTH, observe, probationSummary, startProbation, type Probation, type ProbationEvent } from "../../firmware/core/ota/rollback.js";
import { DEFAULT_SAFE_MODE, FRESH_RECORD, onBoot, onImageInstalled, onStable, resetReasonFromEsp, type BootRecord } from "../../firmware/core/ota/safe-mode.js";

/** A node that has run image A (slot 0, valid) and has just received image B over the air. */
function freshlyUpdated(): SlotTable {
  const runningA = markedValid(afterReset(installed(afterReset({ ...FACTORY_FLASHED, boot: 1 }))));
  t0(runningA);
  return afterReset(installed(runningA)); // restarted into B
}
function t0(table: SlotTable) {
  if (table.boot !== 0 || table.states[0] !== "valid") throw new Error("setup: A should be valid in slot 0");
}

function run(p: Probation, events: [number, ProbationEvent][]) {
  const actions: string[] = [];
  for (const [uptime, event] of events) {
    const step = observe(p, event, uptime);
    p = step.probation;
    if (step.action !== "none") actions.push(step.action);
  }
  return { p, actions };
}

test("good boot: sensors read and one InfluxDB write within the deadline mark the image valid; later resets keep it", (t) => {
  let table = freshlyUpdated();
  t.is(table.boot, 1);
  t.is(table.states[1], "pending_verify");
  const { p, actions } = run(startProbation(table.states[table.boot]), [
    [5, { kind: "tick" }],
    [12, { kind: "sensors_read" }],
    [20, { kind: "tick" }],
    [31, { kind: "influx_write_ok" }],
    [40, { kind: "tick" }],
  ]);
  t.deepEqual(actions, ["mark_valid"], "marked exactly once, at the write");
  t.is(p.verdict, "valid");
  table = markedValid(table);
  table = afterReset(table); // a watchdog reset a day later
  t.is(table.boot, 1, "a confirmed image survives any later reset");
  t.is(table.states[1], "valid");
});

test("crash before health: the next boot is the previous image", (t) => {
  const table = freshlyUpdated();
  const { actions } = run(startProbation(table.states[table.boot]), [
    [5, { kind: "tick" }],
    [12, { kind: "sensors_read" }],
  ]);
  t.deepEqual(actions, [], "sensors alone are not enough");
  const after = afterReset(table); // panic: never marked valid
  t.is(after.boot, 0);
  t.is(after.states[1], "aborted");
  t.is(startProbation(after.states[after.boot]).verdict, "valid", "the old image needs no probation");
});

test("watchdog reset before health rolls back just the same; so does missing the deadline", (t) => {
  const table = freshlyUpdated();
  // A hang: nothing arrives, the task watchdog resets the chip.
  t.is(afterReset(table).boot, 0);
  // A new image that runs but never writes: the firmware gives up at the deadline itself.
  const { p, actions } = run(startProbation("pending_verify"), [
    [12, { kind: "sensors_read" }],
    [DEFAULT_HEALTH.deadlineS - 1, { kind: "tick" }],
    [DEFAULT_HEALTH.deadlineS, { kind: "tick" }],
    [DEFAULT_HEALTH.deadlineS + 5, { kind: "influx_write_ok" }],
  ]);
  t.deepEqual(actions, ["rollback"], "once, and a late write does not undo it");
  t.is(p.verdict, "rollback");
  const rolled = markedInvalid(table);
  t.is(rolled.boot, 0);
  t.is(rolled.states[1], "invalid");
});

test("the health condition is configurable", (t) => {
  const condition = { ...DEFAULT_HEALTH, influxWrite: false, minUptimeS: 60 };
  let step = observe(startProbation("pending_verify"), { kind: "sensors_read" }, 10, condition);
  t.is(step.action, "none", "sensors read, but not up long enough");
  t.deepEqual(probationSummary(step.probation, 10, condition).waiting_for, ["uptime"]);
  step = observe(step.probation, { kind: "tick" }, 60, condition);
  t.is(step.action, "mark_valid");
});

test("an image that was not freshly installed (first USB flash, or already valid) is never rolled back", (t) => {
  for (const state of ["undefined", "valid"] as const) {
    const { actions } = run(startProbation(state), [[10_000, { kind: "tick" }]]);
    t.deepEqual(actions, [], state);
  }
  t.deepEqual(probationSummary(startProbation("valid"), 10), { state: "valid", waiting_for: [] });
});

test("the first image flashed over USB keeps booting when the slot after it is empty", (t) => {
  const first = afterReset(FACTORY_FLASHED);
  t.is(first.boot, 0);
  t.is(afterReset(first).boot, 0);
});

function boots(record: BootRecord, reasons: Parameters<typeof onBoot>[1][]) {
  const modes: boolean[] = [];
  for (const reason of reasons) {
    const b = onBoot(record, reason);
    record = b.record;
    modes.push(b.safeMode);
  }
  return { record, modes };
}

test("safe mode: N crash resets in a row enter it; it survives power cycles", (t) => {
  const N = DEFAULT_SAFE_MODE.bootLoopResets;
  const { record, modes } = boots(FRESH_RECORD, Array(N).fill("panic"));
  t.deepEqual(modes, [...Array(N - 1).fill(false), true]);
  t.true(record.safe);
  const again = boots(record, ["power_on", "watchdog", "power_on"]);
  t.deepEqual(again.modes, [true, true, true], "a power cycle does not leave safe mode");
  t.true(onStable(again.record).safe, "running for hours in safe mode does not leave it either");
});

test("safe mode: mixed crash kinds count, a stable run or a normal power-on resets the count", (t) => {
  t.true(boots(FRESH_RECORD, ["panic", "watchdog", "brownout"]).modes.at(-1)!);
  t.false(boots(FRESH_RECORD, ["panic", "watchdog", "power_on", "panic"]).modes.at(-1)!, "a power-on breaks the series");
  const b = boots(FRESH_RECORD, ["panic", "watchdog"]);
  t.false(onBoot(onStable(b.record), "panic").safeMode, "a stable run in between clears the count");
  t.false(boots(FRESH_RECORD, ["software", "software", "software"]).modes.at(-1)!, "our own restarts (after OTA) never count");
});

test("safe mode: a newly installed image exits it", (t) => {
  const { record } = boots(FRESH_RECORD, ["panic", "panic", "panic"]);
  t.true(record.safe);
  const next = onBoot(onImageInstalled(), "software");
  t.false(next.safeMode);
  t.deepEqual(next.record, FRESH_RECORD);
});

test("ESP-IDF reset reasons map onto the names node_health uses", (t) => {
  t.is(resetReasonFromEsp(1), "power_on");
  t.is(resetReasonFromEsp(3), "software");
  t.is(resetReasonFromEsp(4), "panic");
  t.is(resetReasonFromEsp(6), "watchdog");
  t.is(resetReasonFromEsp(9), "brownout");
  t.is(resetReasonFromEsp(0), "unknown");
});
