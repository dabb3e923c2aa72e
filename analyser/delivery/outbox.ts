// Exactly one report per site-local day, through an outbox on disk. A report is written to the
// outbox before it is sent and marked sent part by part, so a failed run keeps it for the next
// run (which sends it marked late), and a second run on the same day sends nothing new unless
// forced. Files are written atomically (temp file + rename): a crash never leaves half a report.

import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
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
  /** Messages delivered so far (in order). */
  sent: number;
  delivered_at?: number;
  last_error?: string;
}

export function defaultOutboxDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(state, "floorbalance", "outbox");
}

const ENTRY = /^(\d{4}-\d{2}-\d{2})\.json$/;

export function loadEntries(dir: string): OutboxEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => ENTRY.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as OutboxEntry);
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

/** Sends one message (files only with the first). Injected so the outbox logic is tested on its own. */
export type Sender = (message: DiscordMessage, files: Attachment[]) => Promise<SendResult>;

export interface DeliveryOutcome {
  date: string;
  late: boolean;
  status: "sent" | "already-sent" | "failed";
  why?: string;
}

async function sendEntry(dir: string, entry: OutboxEntry, late: boolean, send: Sender, now: number): Promise<DeliveryOutcome> {
  const messages = late ? markLate(entry.messages, entry.late_note) : entry.messages;
  while (entry.sent < messages.length) {
    const i = entry.sent;
    const files: Attachment[] = i === 0 && entry.chart_png_base64 ? [{ name: "chart.png", data: Buffer.from(entry.chart_png_base64, "base64"), type: "image/png" }] : [];
    const result = await send(messages[i], files);
    if (!result.ok) {
      entry.last_error = result.why;
      saveEntry(dir, entry);
      return { date: entry.date, late, status: "failed", why: result.why };
    }
    entry.sent = i + 1;
    if (entry.sent === messages.length) entry.delivered_at = now;
    entry.last_error = undefined;
    saveEntry(dir, entry);
  }
  return { date: entry.date, late, status: "sent" };
}

export interface DeliverRequest {
  dir: string;
  today: { date: string; messages: DiscordMessage[]; chart?: Uint8Array; late_note: string };
  force?: boolean;
  now: number;
  send: Sender;
}

/**
 * Send what is owed: first earlier days' reports still in the outbox (marked late), then
 * today's unless it already went out. Stops at the first failure; what is unsent stays.
 */
export async function deliver(req: DeliverRequest): Promise<DeliveryOutcome[]> {
  const { dir, today, now, send } = req;
  mkdirSync(dir, { recursive: true });
  const out: DeliveryOutcome[] = [];
  for (const old of loadEntries(dir).filter((e) => e.date < today.date && !isDelivered(e))) {
    const r = await sendEntry(dir, old, true, send, now);
    out.push(r);
    if (r.status === "failed") break;
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
        sent: 0,
        chart_png_base64: today.chart ? Buffer.from(today.chart).toString("base64") : undefined,
      };
  saveEntry(dir, entry);
  if (out.some((o) => o.status === "failed")) {
    out.push({ date: today.date, late: false, status: "failed", why: "not tried: an earlier report could not be sent" });
    return out;
  }
  out.push(await sendEntry(dir, entry, false, send, now));
  pruneDelivered(dir);
  return out;
}
