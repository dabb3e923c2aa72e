// Posting one message to a Discord webhook. Every HTTP outcome maps to one explicit decision
// (Telegraf style): done, retry after a wait, or fail. The webhook URL is the credential: it is
// never put into a message, a log line or an error.

// Node's own fetch (undici; Node ≥ 20.19, see engines), like every HTTP call on the Node side.
import type { DiscordMessage } from "../report/discord.js";

export type Decision =
  | { kind: "done"; status: number }
  | { kind: "retry"; afterS: number; why: string }
  | { kind: "fail"; why: string; status?: number };

export interface Answer {
  status: number;
  /** Retry-After header, seconds (Discord sends it with every 429). */
  retryAfterHeader?: string | null;
  /** The JSON body, when there is one. */
  body?: unknown;
  /** No HTTP answer: the kind of failure (ECONNREFUSED, ENOTFOUND, timeout, …). */
  network?: string;
}

/** Name-resolution failures: retrying within seconds does not help; the outbox keeps the report. */
const DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME"]);
/** No answer, but the request surely never reached Discord (so a retry cannot post twice). */
const NEVER_SENT = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", ...DNS]);

/**
 * Whether Discord may have posted a message we got no answer for: a timeout or a connection lost
 * after the request went out. A second post of it is then a possible repeat.
 */
export function mayHavePosted(answer: Answer): boolean {
  return answer.status === 0 && !NEVER_SENT.has(answer.network ?? "");
}

export interface RetryPolicy {
  /** Attempts in all, first try included. */
  maxAttempts: number;
  /** First back-off after a 5xx or network error, s; doubles each time. */
  baseDelayS: number;
  maxDelayS: number;
  /** A 429 asking for a longer wait than this ends the run; the outbox keeps the report. */
  maxRetryAfterS: number;
  timeoutMs: number;
}

export const DEFAULT_POLICY: RetryPolicy = Object.freeze({ maxAttempts: 5, baseDelayS: 2, maxDelayS: 60, maxRetryAfterS: 300, timeoutMs: 20_000 });

function retryAfterOf(answer: Answer): number | undefined {
  const body = answer.body as { retry_after?: unknown } | undefined;
  const fromBody = typeof body?.retry_after === "number" ? body.retry_after : undefined;
  const header = answer.retryAfterHeader ? Number(answer.retryAfterHeader) : undefined;
  const candidates = [fromBody, header].filter((x): x is number => x !== undefined && Number.isFinite(x) && x >= 0);
  // Both say the same in practice; the larger is the one that certainly avoids a second 429.
  return candidates.length > 0 ? Math.max(...candidates) : undefined;
}

function discordMessage(answer: Answer): string {
  const body = answer.body as { message?: unknown; errors?: unknown } | undefined;
  const parts: string[] = [];
  if (typeof body?.message === "string") parts.push(body.message);
  if (body?.errors) parts.push(JSON.stringify(body.errors).slice(0, 500));
  return parts.join(": ");
}

/** The decision for one answer (attempt counts from 1). Pure. */
export function decide(answer: Answer, attempt: number, policy: RetryPolicy = DEFAULT_POLICY): Decision {
  const s = answer.status;
  if (s >= 200 && s < 300) return { kind: "done", status: s };
  const last = attempt >= policy.maxAttempts;
  if (s === 429) {
    const wait = retryAfterOf(answer) ?? policy.baseDelayS * 2 ** (attempt - 1);
    if (last) return { kind: "fail", status: s, why: `rate limited by Discord (429) ${attempt} times` };
    if (wait > policy.maxRetryAfterS) return { kind: "fail", status: s, why: `rate limited by Discord for ${Math.round(wait)} s (429); the report stays in the outbox` };
    return { kind: "retry", afterS: wait, why: `rate limited (429), waiting ${wait} s as Discord asks` };
  }
  if (s === 0 && DNS.has(answer.network ?? "")) return { kind: "fail", status: s, why: `the webhook's host name does not resolve (${answer.network}); check DNS and the network` };
  if (s >= 500 || s === 0) {
    const why = s === 0 ? "network error" : `Discord answered ${s}`;
    if (last) return { kind: "fail", status: s, why: `${why}, ${attempt} attempts` };
    return { kind: "retry", afterS: Math.min(policy.maxDelayS, policy.baseDelayS * 2 ** (attempt - 1)), why };
  }
  // 4xx: the request itself is wrong (bad payload, deleted webhook, bad token). Repeating it
  // changes nothing and repeated 401/403 get the address banned: report and stop.
  const hints: Record<number, string> = {
    400: "Discord rejected the message as malformed",
    401: "the webhook token is invalid",
    403: "the webhook may not post here",
    404: "the webhook does not exist (deleted?); create a new one and update discord_webhook",
    413: "the message or the chart is too large",
  };
  const detail = discordMessage(answer);
  return { kind: "fail", status: s, why: `${hints[s] ?? `Discord answered ${s}`}${detail ? ` (${detail})` : ""}` };
}

export interface Attachment {
  name: string;
  data: Uint8Array;
  type: string;
}

export interface SendResult {
  ok: boolean;
  status?: number;
  attempts: number;
  why?: string;
  /** Id of the created message (?wait=true returns it). */
  id?: string;
  /** Some attempt got no answer after the request went out: Discord may have posted it. */
  maybePosted?: boolean;
}

export interface SendOptions {
  policy?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  /** Called before a retry that follows an attempt with an unknown outcome: returns the message marked as a repeat. */
  asRepeat?: (message: DiscordMessage) => DiscordMessage;
}

const DISCORD_HOSTS = new Set(["discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com", "canary.discordapp.com", "ptb.discordapp.com"]);
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const WEBHOOK_PATH = /^\/api\/(v\d+\/)?webhooks\/\d{1,25}\/[\w-]+\/?$/;

/**
 * Why a webhook URL is not a Discord webhook URL, or undefined when it is. The answer names the
 * host and the expected shape, never the token. Loopback http addresses are accepted for local
 * stand-ins (tests); nothing else may receive the report.
 */
export function webhookUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "the discord_webhook secret is not a URL";
  }
  const shape = "https://discord.com/api/webhooks/<id>/<token>";
  const local = LOOPBACK.has(u.hostname) && (u.protocol === "http:" || u.protocol === "https:");
  if (!local && !(u.protocol === "https:" && DISCORD_HOSTS.has(u.hostname))) return `the discord_webhook secret is not a Discord webhook URL (host ${u.protocol === "https:" || u.protocol === "http:" ? u.hostname : u.protocol}); it should look like ${shape}`;
  if (u.username || u.password) return `the discord_webhook secret carries a user name or password; it should look like ${shape}`;
  if (!WEBHOOK_PATH.test(u.pathname)) return `the discord_webhook secret is not a webhook address (its path is not /api/webhooks/<id>/<token>); copy it again from the channel's Integrations → Webhooks`;
  return undefined;
}

export function webhookTarget(url: string): string {
  const problem = webhookUrlProblem(url);
  if (problem) throw new Error(problem);
  const u = new URL(url);
  u.searchParams.set("wait", "true");
  return u.toString();
}

function body(message: DiscordMessage, files: Attachment[]): FormData {
  const form = new FormData();
  form.set("payload_json", JSON.stringify(message));
  files.forEach((f, i) => form.set(`files[${i}]`, new Blob([f.data], { type: f.type }), f.name));
  return form;
}

async function once(target: string, message: DiscordMessage, files: Attachment[], timeoutMs: number): Promise<Answer & { error?: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(target, { method: "POST", body: body(message, files), signal: controller.signal });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, retryAfterHeader: res.headers.get("retry-after"), body: parsed };
  } catch (err) {
    // Keep only the kind of failure: messages may carry the address. fetch wraps the socket's
    // error code in `cause` ("fetch failed" ← ECONNREFUSED).
    const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
    const network = e.name === "AbortError" || e.name === "TimeoutError" ? "timeout" : (e.cause?.code ?? e.code ?? e.cause?.name ?? "connection failed");
    const what = network === "timeout" ? `no answer within ${timeoutMs / 1000} s` : network;
    return { status: 0, error: what, network };
  } finally {
    clearTimeout(timer);
  }
}

/** Post one message (with its files) to the webhook, retrying as `decide` says. Never throws. */
export async function postMessage(url: string, message: DiscordMessage, files: Attachment[] = [], opts: SendOptions = {}): Promise<SendResult> {
  const policy = { ...DEFAULT_POLICY, ...opts.policy };
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let target: string;
  try {
    target = webhookTarget(url);
  } catch (err) {
    return { ok: false, attempts: 0, why: (err as Error).message };
  }
  let maybePosted = false;
  for (let attempt = 1; ; attempt++) {
    const answer = await once(target, message, files, policy.timeoutMs);
    const decision = decide(answer, attempt, policy);
    const network = answer.error && !DNS.has(answer.network ?? "") ? ` (${answer.error})` : "";
    if (decision.kind === "done") {
      const id = (answer.body as { id?: unknown } | undefined)?.id;
      return { ok: true, status: decision.status, attempts: attempt, id: typeof id === "string" ? id : undefined, maybePosted };
    }
    if (mayHavePosted(answer)) {
      // Discord may have taken it: from now on every post of it says it may be a repeat.
      maybePosted = true;
      if (opts.asRepeat) message = opts.asRepeat(message);
    }
    if (decision.kind === "fail") return { ok: false, status: decision.status, attempts: attempt, why: decision.why + network, maybePosted };
    opts.log?.(`discord: ${decision.why}${network}; retrying in ${decision.afterS} s`);
    await sleep(decision.afterS * 1000);
  }
}
