// One report per site-local day, through an outbox on disk. A report is written to the outbox
// before it is sent and marked sent part by part, so a failed run keeps it for the next run
// (which sends it marked late), and a second run on the same day sends nothing new unless forced.
// Files are written atomically (temp file + rename): a crash never leaves half a report.
//
// What is guaranteed (docs/report.md, "What the outbox guarantees"): every part reaches Discord
// at least once unless Discord refuses it for good (then it moves to dead-letter/ and is named in
// the next report). A part is posted again only when the outcome of its post is unknown: no
// answer (timeout, connection lost after sending), or a crash between Discord's answer and the
// outbox update. A write-ahead marker (`sending`) is on disk before each post, so the next run
// knows, and every such second post is headed as a repeat.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { markLate, type DiscordMessage } from "../report/discord.js";
import type { Attachment, SendResult } from "./webhook.js";

export interface OutboxEntry {
  /** Site-local date the report is about, YYYY-MM-DD. */
  date: string;
  created_at: number;
  messages: DiscordMessage[];
  /** The chart PNG, base64 (sent with the first message), if any: one file per entry, one atomic write. */
  chart_png_base64?: string;
  /** The "delivered late" line in the report's language. */
  late_note: string;
  /** The "repeat" header in the report's language (older entries: both languages). */
  repeat_note?: string;
  /** The report as the terminal shows it, so a later run prints what it sends. */
  terminal_text?: string;
  /** Messages delivered so far (in order). */
  sent: number;
  /** Discord's id of each delivered message (?wait=true returns it). */
  message_ids?: (string | null)[];
  /** Write-ahead marker: part `index` was about to be posted. Cleared with the same write that counts it sent. */
  sending?: { index: number; at: number };
  /** Parts posted as a possible repeat. */
  repeats?: number[];
  delivered_at?: number;
  last_error?: string;
  /** Dead letters: why and when Discord refused it for good, and whether a later report named it. */
  refused?: { status: number; why: string; at: number };
  announced?: boolean;
}

// Structural check of an entry read back from disk: enough to send it, nothing more (messages
// were checked against Discord's limits when they were laid out).
const entrySchema = z.looseObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  created_at: z.number(),
  messages: z.array(z.looseObject({})).min(1),
  chart_png_base64: z.string().optional(),
  late_note: z.string(),
  repeat_note: z.string().optional(),
  terminal_text: z.string().optional(),
  sent: z.number().int().min(0),
  message_ids: z.array(z.string().nullable()).optional(),
  sending: z.object({ index: z.number().int().min(0), at: z.number() }).optional(),
  repeats: z.array(z.number()).optional(),
});

export function defaultOutboxDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(state, "floorbalance", "outbox");
}

export const DEAD_LETTER = "dead-letter";
export const QUARANTINE = "quarantine";
const ENTRY = /^(\d{4}-\d{2}-\d{2})\.json$/;

export interface CorruptEntry {
  file: string;
  why: string;
}

function readEntries(dir: string): { entries: OutboxEntry[]; corrupt: CorruptEntry[] } {
  const entries: OutboxEntry[] = [];
  const corrupt: CorruptEntry[] = [];
  if (!existsSync(dir)) return { entries, corrupt };
  for (const f of readdirSync(dir).filter((x) => ENTRY.test(x)).sort()) {
    const file = join(dir, f);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      corrupt.push({ file, why: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    const checked = entrySchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      corrupt.push({ file, why: `${issue.path.length ? issue.path.join(".") : "entry"}: ${issue.message}` });
      continue;
    }
    entries.push(checked.data as unknown as OutboxEntry);
  }
  return { entries, corrupt };
}

/** The readable entries, oldest first; damaged ones are left out (deliver() quarantines them). */
export function loadEntries(dir: string): OutboxEntry[] {
  return readEntries(dir).entries;
}

/** Move damaged entries aside so that one bad file never stops a run; returns where each went. */
export function quarantineCorrupt(dir: string, now: number): (CorruptEntry & { to: string })[] {
  const moved: (CorruptEntry & { to: string })[] = [];
  for (const c of readEntries(dir).corrupt) {
    const folder = join(dir, QUARANTINE);
    mkdirSync(folder, { recursive: true });
    const to = join(folder, `${c.file.split("/").pop()}.${now}`);
    renameSync(c.file, to);
    moved.push({ ...c, to });
  }
  return moved;
}

export function saveEntry(dir: string, entry: OutboxEntry): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, `${entry.date}.json`), JSON.stringify(entry) + "\n");
}

/** Delivered reports kept for looking back; older ones are removed (undelivered ones never). */
export const KEEP_DELIVERED = 14;

export function pruneDelivered(dir: string, keep = KEEP_DELIVERED): void {
  const delivered = loadEntries(dir).filter(isDelivered);
  for (const e of delivered.slice(0, Math.max(0, delivered.length - keep))) unlinkSync(join(dir, `${e.date}.json`));
}

export function isDelivered(e: OutboxEntry): boolean {
  return e.sent >= e.messages.length;
}

/** Dead letters not yet named in a report that went out. */
export function unannouncedDeadLetters(dir: string): OutboxEntry[] {
  return loadEntries(join(dir, DEAD_LETTER)).filter((e) => !e.announced);
}

/**
 * A refusal that no retry changes: the message itself is wrong (400 malformed, 413 too large, …).
 * Not 429 (wait), and not 401/403/404: those say the webhook is wrong, and every report would be
 * refused alike until the secret is fixed; then they should all still go out.
 */
export function isPermanentRefusal(status: number | undefined): boolean {
  const s = status ?? 0;
  return s >= 400 && s < 500 && ![401, 403, 404, 429].includes(s);
}

/** Sends one message (files only with the first). Injected so the outbox logic is tested on its own. */
export type Sender = (message: DiscordMessage, files: Attachment[], repeat?: (m: DiscordMessage) => DiscordMessage) => Promise<SendResult>;

export interface DeliveryOutcome {
  date: string;
  late: boolean;
  status: "sent" | "already-sent" | "failed" | "not-tried" | "dead-lettered" | "quarantined";
  why?: string;
  /** Dead-lettered or quarantined: where the file is now. */
  file?: string;
  /** Parts posted as a possible repeat in this run. */
  repeats?: number;
  /** The HTTP status of a failure (0: no answer). */
  httpStatus?: number;
}

const BILINGUAL_REPEAT = "🔁 Wiederholung / repeat";

/** Head a part with the repeat note (in `content`, like the late note; far below the 2000 limit). */
export function markRepeat(message: DiscordMessage, note: string): DiscordMessage {
  if (message.content?.startsWith(note)) return message;
  return { ...message, content: message.content ? `${note}\n${message.content}` : note };
}

async function sendEntry(dir: string, entry: OutboxEntry, late: boolean, send: Sender, now: number, prefix?: string): Promise<DeliveryOutcome> {
  let messages = late ? markLate(entry.messages, entry.late_note) : entry.messages;
  if (prefix && entry.sent === 0) messages = markLate(messages, prefix);
  const note = entry.repeat_note ?? BILINGUAL_REPEAT;
  let repeats = 0;
  while (entry.sent < messages.length) {
    const i = entry.sent;
    const files: Attachment[] = i === 0 && entry.chart_png_base64 ? [{ name: "chart.png", data: Buffer.from(entry.chart_png_base64, "base64"), type: "image/png" }] : [];
    // A marker left by an earlier run means that run may have posted this part before it could
    // count it: the post now is a possible repeat and says so.
    const maybeSent = entry.sending?.index === i;
    const message = maybeSent ? markRepeat(messages[i]!, note) : messages[i]!;
    entry.sending = { index: i, at: now };
    saveEntry(dir, entry);
    let repeated = maybeSent;
    const result = await send(message, files, (m) => {
      repeated = true;
      return markRepeat(m, note);
    });
    if (repeated) {
      repeats++;
      entry.repeats = [...new Set([...(entry.repeats ?? []), i])];
    }
    if (!result.ok) {
      entry.last_error = result.why;
      // Only a post whose outcome is unknown may have reached Discord; the marker stays for it.
      if (!result.maybePosted) entry.sending = undefined;
      saveEntry(dir, entry);
      return { date: entry.date, late, status: "failed", why: result.why, httpStatus: result.status, repeats };
    }
    entry.sent = i + 1;
    entry.message_ids = [...(entry.message_ids ?? []), result.id ?? null];
    entry.sending = undefined;
    if (entry.sent === messages.length) entry.delivered_at = now;
    entry.last_error = undefined;
    saveEntry(dir, entry);
  }
  return { date: entry.date, late, status: "sent", repeats };
}

function deadLetter(dir: string, entry: OutboxEntry, outcome: DeliveryOutcome, now: number): DeliveryOutcome {
  const folder = join(dir, DEAD_LETTER);
  const moved: OutboxEntry = { ...entry, refused: { status: outcome.httpStatus ?? 0, why: outcome.why ?? "", at: now }, announced: false };
  saveEntry(folder, moved);
  unlinkSync(join(dir, `${entry.date}.json`));
  return { date: entry.date, late: outcome.late, status: "dead-lettered", why: outcome.why, file: join(folder, `${entry.date}.json`) };
}

export interface DeliverRequest {
  dir: string;
  today: {
    date: string;
    messages: DiscordMessage[];
    chart?: Uint8Array;
    late_note: string;
    repeat_note?: string;
    terminal_text?: string;
    /** The line naming refused reports (dates, folder), in the report's language. */
    dead_letter_note?: (dates: string[], folder: string) => string;
  };
  force?: boolean;
  now: number;
  send: Sender;
}

/**
 * Send what is owed: first earlier days' reports still in the outbox (marked late), then
 * today's unless it already went out. A transient failure stops the run (what is unsent stays);
 * a permanent refusal moves that report to dead-letter/ and the run goes on.
 */
export async function deliver(req: DeliverRequest): Promise<DeliveryOutcome[]> {
  const { dir, today, now, send } = req;
  mkdirSync(dir, { recursive: true });
  const out: DeliveryOutcome[] = quarantineCorrupt(dir, now).map((q) => ({ date: "", late: false, status: "quarantined", why: `${q.file}: ${q.why}`, file: q.to }));
  let blocked = false;
  for (const old of loadEntries(dir).filter((e) => e.date < today.date && !isDelivered(e))) {
    const r = await sendEntry(dir, old, true, send, now);
    if (r.status === "failed" && isPermanentRefusal(r.httpStatus)) {
      out.push(deadLetter(dir, old, r, now));
      continue;
    }
    out.push(r);
    if (r.status === "failed") {
      blocked = true;
      break;
    }
  }
  const existing = loadEntries(dir).find((e) => e.date === today.date);
  if (existing && isDelivered(existing) && !req.force) {
    out.push({ date: today.date, late: false, status: "already-sent" });
    return out;
  }
  // Today's report already in the outbox goes out as stored, from where it stopped (no repeated
  // parts, the engine's decision of the day unchanged); --force writes it anew.
  const resume = existing && !isDelivered(existing) && !req.force;
  const entry: OutboxEntry = resume
    ? existing
    : {
        date: today.date,
        created_at: now,
        messages: today.messages,
        late_note: today.late_note,
        repeat_note: today.repeat_note,
        terminal_text: today.terminal_text,
        sent: 0,
        chart_png_base64: today.chart ? Buffer.from(today.chart).toString("base64") : undefined,
      };
  saveEntry(dir, entry);
  if (blocked) {
    out.push({ date: today.date, late: false, status: "not-tried" });
    return out;
  }
  const dead = unannouncedDeadLetters(dir);
  const prefix = dead.length > 0 && today.dead_letter_note ? today.dead_letter_note(dead.map((d) => d.date), join(dir, DEAD_LETTER)) : undefined;
  const r = await sendEntry(dir, entry, false, send, now, prefix);
  if (r.status === "failed" && isPermanentRefusal(r.httpStatus)) out.push(deadLetter(dir, entry, r, now));
  else out.push(r);
  if (r.status === "sent" && prefix) for (const d of dead) saveEntry(join(dir, DEAD_LETTER), { ...d, announced: true });
  pruneDelivered(dir);
  return out;
}
