// What the outbox promises (docs/report.md, "What the outbox guarantees"): a report Discord
// refuses for good moves aside and blocks nothing; a post whose outcome is unknown is repeated
// only with a repeat header; Discord's message ids are kept; a damaged entry is quarantined.

import test from "ava";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decide, postMessage, webhookUrlProblem } from "../../analyser/delivery/webhook.js";
import { deliver, loadEntries, type Sender } from "../../analyser/delivery/outbox.js";
import { deliveryWords } from "../../analyser/report/i18n.js";
import type { DiscordMessage } from "../../analyser/report/discord.js";
import { startDiscordStandIn, type StandIn } from "../helpers/discord-standin.js";

const fast = { baseDelayS: 0.01, maxDelayS: 0.05, timeoutMs: 1500 };
const msg = (text: string): DiscordMessage => ({ embeds: [{ title: text, description: "body" }] });
const en = deliveryWords("en");

function day(date: string, text: string, parts = 2) {
  return {
    date,
    messages: Array.from({ length: parts }, (_, i) => msg(i === 0 ? text : `${text} part ${i + 1}`)),
    late_note: `⏰ late – report of ${date}`,
    repeat_note: en.repeat(date),
    dead_letter_note: en.deadLetter,
  };
}

async function withStandIn(t: any, run: (s: StandIn, send: Sender) => Promise<void>, maxAttempts = 3) {
  const s = await startDiscordStandIn();
  const send: Sender = (m, files, repeat) => postMessage(s.url, m, files, { policy: { ...fast, maxAttempts }, sleep: async () => {}, asRepeat: repeat });
  try {
    await run(s, send);
  } finally {
    await s.close();
  }
  t.pass();
}

const dir = () => mkdtempSync(join(tmpdir(), "fb-outbox-"));

test.serial("a report Discord refuses for good moves to dead-letter/, today's still goes out and names it", (t) =>
  withStandIn(t, async (s, send) => {
    const d = dir();
    // Over Discord's 2000-character content limit: the stand-in answers 400, as Discord does.
    const refused = { ...day("2026-11-22", "Mon"), messages: [{ content: "z".repeat(2001), embeds: [] }] };
    const first = await deliver({ dir: d, today: refused, now: 1, send });
    t.deepEqual(first.map((o) => o.status), ["dead-lettered"]);
    t.true(existsSync(join(d, "dead-letter", "2026-11-22.json")));
    t.regex(first[0]!.file!, /dead-letter\/2026-11-22\.json$/);
    t.deepEqual(loadEntries(d), []);

    const second = await deliver({ dir: d, today: day("2026-11-23", "Tue"), now: 2, send });
    t.deepEqual(second.map((o) => [o.date, o.status]), [["2026-11-23", "sent"]]);
    const tue = s.received.find((r) => r.payload.embeds?.[0]?.title === "Tue")!;
    t.is(tue.payload.content, en.deadLetter(["2026-11-22"], join(d, "dead-letter")));
    // Named once: the next day's report no longer carries the note.
    await deliver({ dir: d, today: day("2026-11-24", "Wed"), now: 3, send });
    t.is(s.received.find((r) => r.payload.embeds?.[0]?.title === "Wed")!.payload.content, undefined);
  }));

test.serial("an undeliverable old report in the outbox no longer blocks today's", (t) =>
  withStandIn(t, async (s, send) => {
    const d = dir();
    writeFileSync(join(d, "2026-11-20.json"), JSON.stringify({ date: "2026-11-20", created_at: 0, messages: [{ content: "y".repeat(2100) }], late_note: "late", sent: 0 }));
    const r = await deliver({ dir: d, today: day("2026-11-23", "Tue"), now: 2, send });
    t.deepEqual(r.map((o) => [o.date, o.status]), [["2026-11-20", "dead-lettered"], ["2026-11-23", "sent"]]);
    t.is(s.received.filter((x) => x.payload.embeds?.[0]?.title === "Tue").length, 1);
  }));

test.serial("no answer after Discord took the message: the second post is headed as a repeat", (t) =>
  withStandIn(t, async (s, send) => {
    const d = dir();
    s.faults.push({ kind: "accepted-hang" });
    const r = await deliver({ dir: d, today: day("2026-11-23", "Tue", 1), now: 1, send });
    t.deepEqual(r.map((o) => [o.status, o.repeats]), [["sent", 1]]);
    t.is(s.received.length, 2);
    t.is(s.received[0]!.payload.content, undefined);
    t.is(s.received[1]!.payload.content, en.repeat("2026-11-23"));
    t.deepEqual(loadEntries(d)[0]!.repeats, [0]);
  }));

test.serial("a crash between Discord's answer and the outbox update: the next run posts it as a repeat", (t) =>
  withStandIn(t, async (s, send) => {
    const d = dir();
    let calls = 0;
    const crashAfterSecondPost: Sender = async (m, f, rep) => {
      const r = await send(m, f, rep);
      if (++calls === 2) throw new Error("killed"); // the process dies before it can count part 2
      return r;
    };
    await t.throwsAsync(deliver({ dir: d, today: day("2026-11-23", "Tue"), now: 1, send: crashAfterSecondPost }));
    t.deepEqual(loadEntries(d)[0]!.sending, { index: 1, at: 1 });
    const r = await deliver({ dir: d, today: day("2026-11-23", "Tue"), now: 2, send });
    t.deepEqual(r.map((o) => o.status), ["sent"]);
    t.deepEqual(s.received.map((x) => [x.payload.embeds[0].title, x.payload.content]), [
      ["Tue", undefined],
      ["Tue part 2", undefined],
      ["Tue part 2", en.repeat("2026-11-23")],
    ]);
  }));

test.serial("Discord's message ids (?wait=true) are kept per part; a refused post leaves no repeat marker", (t) =>
  withStandIn(t, async (s, send) => {
    const d = dir();
    await deliver({ dir: d, today: day("2026-11-23", "Tue"), now: 1, send });
    const e = loadEntries(d)[0]!;
    t.deepEqual(e.message_ids, s.received.map((r) => r.id));
    t.is(e.message_ids!.length, 2);
    t.is(e.sending, undefined);
    s.faults.push({ kind: "500" }, { kind: "500" }, { kind: "500" });
    await deliver({ dir: d, today: day("2026-11-24", "Wed"), now: 2, send });
    t.is(loadEntries(d).find((x) => x.date === "2026-11-24")!.sending, undefined);
  }));

test.serial("a damaged outbox entry is quarantined with its name, and the run goes on", (t) =>
  withStandIn(t, async (s, send) => {
    const d = dir();
    writeFileSync(join(d, "2026-11-21.json"), '{"date":"2026-11-21","messa');
    writeFileSync(join(d, "2026-11-22.json"), JSON.stringify({ date: "2026-11-22", sent: "x" }));
    const r = await deliver({ dir: d, today: day("2026-11-23", "Tue"), now: 5, send });
    t.deepEqual(r.map((o) => o.status), ["quarantined", "quarantined", "sent"]);
    t.regex(r[0]!.why!, /2026-11-21\.json: not valid JSON/);
    t.regex(r[1]!.why!, /2026-11-22\.json: .*(created_at|messages|sent)/);
    t.deepEqual(readdirSync(join(d, "quarantine")).sort(), ["2026-11-21.json.5", "2026-11-22.json.5"]);
    t.is(readFileSync(join(d, "quarantine", "2026-11-21.json.5"), "utf8"), '{"date":"2026-11-21","messa');
  }));

test("DNS failures are not retried; the outbox keeps the report", (t) => {
  t.is(decide({ status: 0, network: "ENOTFOUND" }, 1).kind, "fail");
  t.is(decide({ status: 0, network: "EAI_AGAIN" }, 1).kind, "fail");
  t.is(decide({ status: 0, network: "ECONNRESET" }, 1).kind, "retry");
});

test("the webhook must be a Discord webhook URL; the answer never shows the token", (t) => {
  const token = "AbCdEf-123_secretTOKENvalue";
  for (const ok of ["https://discord.com/api/webhooks/123456789/" + token, "https://discordapp.com/api/webhooks/1/" + token, "https://canary.discord.com/api/v10/webhooks/1/" + token, "https://ptb.discord.com/api/webhooks/1/" + token])
    t.is(webhookUrlProblem(ok), undefined, ok);
  for (const bad of [
    "http://discord.com/api/webhooks/1/" + token,
    "https://discord.com.evil.example/api/webhooks/1/" + token,
    "https://discord.com/channels/1/" + token,
    "https://hooks.slack.com/services/" + token,
    "discord.com/api/webhooks/1/" + token,
  ]) {
    const why = webhookUrlProblem(bad);
    t.truthy(why, bad);
    t.false(why!.includes(token));
  }
});
