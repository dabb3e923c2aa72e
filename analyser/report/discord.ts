// The report as Discord webhook messages. Every documented limit holds for every message
// (../shared/reference/platform-facts.md): a large house is split across embeds and messages,
// long text is split at line or word boundaries; nothing is ever cut off.

import type { House } from "../../shared/house/index.js";
import type { AnalysisResult } from "../measurement/result.js";
import type { EngineResult } from "../engine/result.js";
import { composeReport, type CircuitLine, type Report } from "./compose.js";
import { words } from "./i18n.js";

export const LIMITS = Object.freeze({
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Over all embeds of one message: title, description, field names and values, footer, author. */
  total: 6000,
});

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface DiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  fields?: EmbedField[];
  footer?: { text: string };
  image?: { url: string };
}

export interface DiscordMessage {
  content?: string;
  username?: string;
  embeds: DiscordEmbed[];
  attachments?: { id: number; filename: string }[];
}

const COLOR = { balanced: 0x2e9e44, changes: 0xe0a000, waiting: 0x3b7dd8, warnings: 0xc0392b, neutral: 0x7f8c8d } as const;

/** Characters Discord counts against the 6000 limit (UTF-16 units: never fewer than Discord's count). */
export function embedChars(e: DiscordEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/**
 * Split text into pieces of at most `max` UTF-16 units, preferring line breaks, then spaces.
 * Joining the pieces with the separator they were cut at gives the text back: nothing is lost.
 */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    let skip = 1;
    if (cut <= 0) {
      cut = rest.lastIndexOf(" ", max);
      if (cut <= 0) {
        cut = max;
        skip = 0;
        // Never split a surrogate pair (an emoji) in two.
        const code = rest.charCodeAt(cut - 1);
        if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
      }
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  out.push(rest);
  return out;
}

/** Fields for one circuit: a field name or value too long becomes several fields, never a cut. */
function circuitFields(line: CircuitLine, flowWord: string): EmbedField[] {
  const mark = line.kind === "change" ? "▶ " : line.kind === "problem" ? "⚠ " : "";
  const nameParts = splitText(`${mark}${line.room} (${line.circuit})`, LIMITS.fieldName);
  const lead = nameParts.slice(1).join("\n");
  const value = `${lead ? lead + "\n" : ""}**${line.todo}**\nΔT ${line.spread} · ${flowWord} ${line.flow}`;
  return splitText(value, LIMITS.fieldValue).map((v, i) => ({ name: i === 0 ? nameParts[0] : "↳", value: v }));
}

/** Group fields into embeds of at most 25 fields and a safe share of the 6000 characters. */
function fieldEmbeds(title: string, fields: EmbedField[], color: number, continued: string): DiscordEmbed[] {
  const budget = LIMITS.total - LIMITS.title - 200;
  const embeds: DiscordEmbed[] = [];
  let current: EmbedField[] = [];
  let chars = 0;
  const flush = () => {
    if (current.length === 0) return;
    const t = embeds.length === 0 ? title : `${title} (${continued})`;
    embeds.push({ title: splitText(t, LIMITS.title)[0], color, fields: current });
    current = [];
    chars = 0;
  };
  for (const f of fields) {
    const size = f.name.length + f.value.length;
    if (current.length >= LIMITS.fields || chars + size > budget) flush();
    current.push(f);
    chars += size;
  }
  flush();
  return embeds;
}

/** Text embeds: a title (split if needed) and a description split at 4096. */
function textEmbeds(title: string | undefined, text: string, color: number): DiscordEmbed[] {
  const titleParts = title ? splitText(title, LIMITS.title) : [];
  const body = [titleParts.slice(1).join(" "), text].filter((x) => x).join("\n");
  const pieces = splitText(body, LIMITS.description);
  return pieces.map((d, i) => ({ ...(i === 0 && titleParts[0] ? { title: titleParts[0] } : {}), description: d, color }));
}

/** Pack embeds into messages: at most 10 embeds and 6000 characters each. */
export function packMessages(embeds: DiscordEmbed[], username?: string): DiscordMessage[] {
  const messages: DiscordMessage[] = [];
  let current: DiscordEmbed[] = [];
  let chars = 0;
  for (const e of embeds) {
    const size = embedChars(e);
    if (size > LIMITS.total) throw new Error(`an embed of ${size} characters cannot be sent (limit ${LIMITS.total}); this is a bug in the splitter`);
    if (current.length >= LIMITS.embeds || chars + size > LIMITS.total) {
      messages.push({ embeds: current });
      current = [];
      chars = 0;
    }
    current.push(e);
    chars += size;
  }
  if (current.length > 0) messages.push({ embeds: current });
  if (messages.length > 1) messages.forEach((m, i) => (m.content = `(${i + 1}/${messages.length})`));
  if (username) for (const m of messages) m.username = username;
  return messages;
}

/** Put the footer on the last embed of the last message, if it fits there; else a small embed of its own. */
function withFooter(embeds: DiscordEmbed[], footer: string): DiscordEmbed[] {
  const text = splitText(footer, LIMITS.footer);
  const last = embeds[embeds.length - 1];
  if (text.length === 1 && last && embedChars(last) + footer.length <= LIMITS.total - 100) {
    return [...embeds.slice(0, -1), { ...last, footer: { text: text[0] } }];
  }
  return [...embeds, ...text.map((t) => ({ footer: { text: t }, description: "·" }))];
}

export interface DiscordOptions {
  late?: boolean;
  /** File name of the chart attached as files[0]; shown in the first embed. */
  chartFile?: string;
  username?: string;
}

export function layoutDiscord(report: Report, opts: DiscordOptions = {}): DiscordMessage[] {
  const w = words(report.language);
  const headColor = report.balanced ? COLOR.balanced : report.changes > 0 ? COLOR.changes : COLOR.waiting;
  const head = [report.headline, `**${report.today}**`, report.curve ? `\n${w.curveTitle}: ${report.curve}` : "", report.policy ? `\n*${w.policyTitle}* ${report.policy}` : "", report.dhw && report.dhw.length > 0 ? "\n" + report.dhw.join("\n") : ""]
    .filter((x) => x)
    .join("\n");
  const embeds: DiscordEmbed[] = textEmbeds(report.title, head, headColor);
  if (opts.chartFile) embeds[0] = { ...embeds[0], image: { url: `attachment://${opts.chartFile}` } };
  for (const s of report.sections) {
    const fields = s.lines.flatMap((l) => circuitFields(l, w.flow));
    embeds.push(...fieldEmbeds(s.name, fields, s.changes > 0 ? COLOR.changes : COLOR.neutral, w.continued));
  }
  if (report.warnings.length > 0) embeds.push(...textEmbeds(w.warningsTitle, report.warnings.map((x) => `• ${x}`).join("\n"), COLOR.warnings));
  const messages = packMessages(withFooter(embeds, report.footer), opts.username);
  if (opts.chartFile) messages[0].attachments = [{ id: 0, filename: opts.chartFile }];
  return opts.late ? markLate(messages, w.late(report.date)) : messages;
}

/** Mark messages as delivered late (the outbox does this when it sends yesterday's report). */
export function markLate(messages: DiscordMessage[], note: string): DiscordMessage[] {
  return messages.map((m, i) => {
    if (i !== 0) return m;
    // The note is one short line; with the part counter it stays far below the 2000 limit.
    return { ...m, content: m.content ? `${note} ${m.content}` : note };
  });
}

export function renderDiscord(house: House, analysis: AnalysisResult, engine: EngineResult, opts: DiscordOptions = {}): DiscordMessage[] {
  return layoutDiscord(composeReport(house, analysis, engine), { username: house.discord.username, ...opts });
}
