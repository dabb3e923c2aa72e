import test from "ava";
import { mkdtempSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postMessage, decide, DEFAULT_POLICY } from "../../analyser/delivery/webhook.js";
import { deliver, loadEntries, pruneDelivered, saveEntry, type Sender } from "../../analyser/delivery/outbox.js";
import type { DiscordMessage } from "../../analyser/report/discord.js";
import { startDiscordStandIn, type StandIn } from "../helpers/discord-standin.js";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const msg = (text: string, chart = false): DiscordMessage => ({ embeds: [{ title: text, description: "body" }], ...(chart ? { attachments: [{ id: 0, filename: "chart.png" }] } : {}) });
// Sleeps are recorded, not waited; the timeout is real (the hang case), generous for a busy machine.
const fast = { baseDelayS: 0.01, maxDelayS: 0.05, timeoutMs: 3000 };

async function withStandIn(t: any, run: (s: StandIn, sleeps: number[], logs: string[]) => Promise<void>) {
  const s = await startDiscordStandIn();
  try {
    await run(s, [], []);
  } finally {
    await s.close();
  }
  t.pass();
}

/** A loopback port nobody listens on (fetch refuses the "bad" low ports such as 1 outright). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

function opts(sleeps: number[], logs: string[], policy: object = {}) {
  return { policy: { ...fast, ...policy }, sleep: async (ms: number) => void sleeps.push(ms), log: (l: string) => void logs.push(l) };
}

test.serial("a message goes out as multipart: payload_json + files[0], with ?wait=true", (t) =>
  withStandIn(t, async (s, sleeps, logs) => {
    const r = await postMessage(s.url, msg("hello", true), [{ name: "chart.png", data: PNG, type: "image/png" }], opts(sleeps, logs));
    t.true(r.ok);
    t.is(r.status, 200);
    t.is(r.id, "1");
    t.is(s.received.length, 1);
    t.true(s.received[0].wait);
    t.is(s.received[0].payload.embeds[0].title, "hello");
    t.deepEqual(s.received[0].files.map((f) => [f.field, f.filename, f.type, f.bytes]), [["files[0]", "chart.png", "image/png", PNG.length]]);
  }));

test.serial("429: waits as long as retry_after and Retry-After ask, then sends", (t) =>
  withStandIn(t, async (s, sleeps, logs) => {
    s.faults.push({ kind: "429", retryAfterS: 0.25 }, { kind: "429", retryAfterS: 2.5 });
    const r = await postMessage(s.url, msg("x"), [], opts(sleeps, logs));
    t.true(r.ok);
    t.is(r.attempts, 3);
    // retry_after 0.25 s with Retry-After: 1 → 1 s; retry_after 2.5 with Retry-After: 3 → 3 s.
    t.deepEqual(sleeps, [1000, 3000]);
    t.is(s.received.length, 1);
  }));

test.serial("429 asking for longer than we wait: fail, no hammering", (t) =>
  withStandIn(t, async (s, sleeps, logs) => {
    s.faults.push({ kind: "429", retryAfterS: 3600 });
    const r = await postMessage(s.url, msg("x"), [], opts(sleeps, logs));
    t.false(r.ok);
    t.is(r.attempts, 1);
    t.regex(r.why!, /rate limited by Discord for 3600 s/);
  }));

test.serial("500 and hangs: bounded back-off retries", (t) =>
  withStandIn(t, async (s, sleeps, logs) => {
    s.faults.push({ kind: "500" }, { kind: "hang" });
    const r = await postMessage(s.url, msg("x"), [], opts(sleeps, logs));
    t.true(r.ok, r.why);
    t.is(r.attempts, 3);
    t.deepEqual(sleeps, [10, 20]);
    t.true(logs.some((l) => /no answer within 3 s/.test(l)));
    s.faults.push(...Array.from({ length: 10 }, () => ({ kind: "500" as const })));
    const r2 = await postMessage(s.url, msg("x"), [], opts(sleeps, logs, { maxAttempts: 4 }));
    t.false(r2.ok);
    t.is(r2.attempts, 4);
    t.regex(r2.why!, /Discord answered 500, 4 attempts/);
  }));

test.serial("4xx: no blind retry, a clear reason, and the webhook token is never shown", (t) =>
  withStandIn(t, async (s, sleeps, logs) => {
    const tooLong: DiscordMessage = { content: "z".repeat(2001), embeds: [] };
    const r = await postMessage(s.url, tooLong, [], opts(sleeps, logs));
    t.false(r.ok);
    t.is(r.attempts, 1);
    t.is(r.status, 400);
    t.regex(r.why!, /malformed.*content has 2001 > 2000/);
    s.faults.push({ kind: "404" });
    const r404 = await postMessage(s.url, msg("x"), [], opts(sleeps, logs));
    t.is(r404.attempts, 1);
    t.regex(r404.why!, /does not exist/);
    const dead = await postMessage(`http://127.0.0.1:${await closedPort()}/api/webhooks/1/s3cr3t-t0ken`, msg("x"), [], opts(sleeps, logs, { maxAttempts: 2 }));
    t.false(dead.ok);
    t.regex(dead.why!, /network error, 2 attempts \(ECONNREFUSED\)/);
    const said = [r.why, r404.why, dead.why, ...logs].join("\n");
    t.false(said.includes("s3cr3t-t0ken"));
    t.false(said.includes("127.0.0.1"));
    t.deepEqual(sleeps, [10]);
  }));

test.serial("decide: every outcome is one explicit case", (t) => {
  t.deepEqual(decide({ status: 204 }, 1), { kind: "done", status: 204 });
  t.is(decide({ status: 503 }, DEFAULT_POLICY.maxAttempts).kind, "fail");
  t.is(decide({ status: 401 }, 1).kind, "fail");
  t.deepEqual(decide({ status: 429, body: { retry_after: 1.5 }, retryAfterHeader: "2" }, 1), { kind: "retry", afterS: 2, why: "rate limited (429), waiting 2 s as Discord asks" });
});

function day(date: string, text: string) {
  return { date, messages: [msg(text, true), { embeds: [{ title: `${text} part 2` }] }], chart: PNG, late_note: `⏰ late – report of ${date}` };
}

test.serial("outbox: a failed report is kept, sent marked late next run; a second run the same day sends nothing unless forced", (t) =>
  withStandIn(t, async (s, sleeps, logs) => {
    const dir = mkdtempSync(join(tmpdir(), "fb-outbox-"));
    const send: Sender = (m, files) => postMessage(s.url, m, files, opts(sleeps, logs, { maxAttempts: 2 }));
    s.faults.push({ kind: "500" }, { kind: "500" });
    const first = await deliver({ dir, today: day("2026-11-22", "Mon"), now: 1, send });
    t.deepEqual(first.map((o) => o.status), ["failed"]);
    t.is(s.received.length, 0);
    t.is(loadEntries(dir)[0].sent, 0);

    const second = await deliver({ dir, today: day("2026-11-23", "Tue"), now: 2, send });
    t.deepEqual(second.map((o) => [o.date, o.late, o.status]), [["2026-11-22", true, "sent"], ["2026-11-23", false, "sent"]]);
    t.deepEqual(s.received.map((r) => r.payload.embeds[0].title), ["Mon", "Mon part 2", "Tue", "Tue part 2"]);
    t.is(s.received[0].payload.content, "⏰ late – report of 2026-11-22");
    t.is(s.received[2].payload.content, undefined);
    t.is(s.received[0].files.length, 1);
    t.is(s.received[1].files.length, 0);

    const third = await deliver({ dir, today: day("2026-11-23", "Tue again"), now: 3, send });
    t.deepEqual(third.map((o) => o.status), ["already-sent"]);
    t.is(s.received.length, 4);

    const forced = await deliver({ dir, today: day("2026-11-23", "Tue forced"), now: 4, send, force: true });
    t.deepEqual(forced.map((o) => o.status), ["sent"]);
    t.is(s.received.length, 6);
    t.is(s.received[4].payload.embeds[0].title, "Tue forced");
    t.false(readdirSync(dir).some((f) => f.endsWith(".tmp")));
  }));

test.serial("outbox: a report cut off after its first part continues with the second, without repeating", (t) =>
  withStandIn(t, async (s, sleeps, logs) => {
    const dir = mkdtempSync(join(tmpdir(), "fb-outbox-"));
    const send: Sender = (m, files) => postMessage(s.url, m, files, opts(sleeps, logs, { maxAttempts: 1 }));
    let calls = 0;
    const firstOkThenHang: Sender = async (m, f) => {
      if (calls++ === 1) s.faults.push({ kind: "hang" });
      return send(m, f);
    };
    const r1 = await deliver({ dir, today: day("2026-11-23", "Tue"), now: 1, send: firstOkThenHang });
    t.deepEqual(r1.map((o) => o.status), ["failed"]);
    t.is(loadEntries(dir)[0].sent, 1);
    const r2 = await deliver({ dir, today: day("2026-11-23", "Tue rerendered"), now: 2, send });
    t.deepEqual(r2.map((o) => o.status), ["sent"]);
    t.deepEqual(s.received.map((r) => r.payload.embeds[0].title), ["Tue", "Tue part 2"]);
  }));

test.serial("outbox: old delivered reports are pruned, undelivered ones are kept whatever their age", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-outbox-"));
  for (let d = 1; d <= 20; d++) {
    const date = `2026-01-${String(d).padStart(2, "0")}`;
    saveEntry(dir, { date, created_at: d, messages: [msg(date)], late_note: "", sent: d === 2 ? 0 : 1 });
  }
  pruneDelivered(dir, 5);
  t.deepEqual(loadEntries(dir).map((e) => e.date), ["2026-01-02", "2026-01-16", "2026-01-17", "2026-01-18", "2026-01-19", "2026-01-20"]);
});
