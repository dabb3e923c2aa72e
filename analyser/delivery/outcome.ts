// What the daily run says about delivery, in the report's language: one line per outcome, and
// the report a run prints when it sends one from the outbox (so the terminal, and the journal,
// show what Discord got, not a report computed anew). Pure.

import type { Language } from "../report/i18n.js";
import { deliveryWords } from "../report/i18n.js";
import type { DiscordMessage } from "../report/discord.js";
import type { DeliveryOutcome, OutboxEntry } from "./outbox.js";

export function outcomeLine(o: DeliveryOutcome, language: Language): string {
  const w = deliveryWords(language);
  switch (o.status) {
    case "sent":
      return w.sent(o.date, o.late) + (o.repeats ? ` ${w.repeat(o.date)}` : "");
    case "already-sent":
      return w.nothingNew(o.date);
    case "failed":
      return w.failed(o.date, o.why ?? "");
    case "not-tried":
      return w.failed(o.date, w.notTried);
    case "dead-lettered":
      return w.deadLettered(o.date, o.why ?? "", o.file ?? "");
    case "quarantined":
      return w.quarantined(o.why ?? "", o.file ?? "");
  }
}

/** Plain text of Discord messages, for entries written before the outbox kept the terminal text. */
export function messagesAsText(messages: DiscordMessage[]): string {
  const lines: string[] = [];
  for (const m of messages) {
    if (m.content) lines.push(m.content);
    for (const e of m.embeds ?? []) {
      if (e.title) lines.push(e.title);
      if (e.description) lines.push(e.description);
      for (const f of e.fields ?? []) lines.push(`${f.name}`, f.value);
      if (e.footer?.text) lines.push(e.footer.text);
    }
  }
  return lines.join("\n") + "\n";
}

/** The stored report of the day with a header saying it comes from the outbox (or already went out). */
export function queuedReportText(entry: OutboxEntry, language: Language, delivered: boolean): string {
  const w = deliveryWords(language);
  const header = delivered ? w.alreadySent(entry.date) : w.queued(entry.date);
  return `${header}\n\n${entry.terminal_text ?? messagesAsText(entry.messages)}`;
}
