// The over-the-air update as a pure state machine: who may upload, what is accepted, and when
// the boot partition may change. The HTTP adapter (firmware/adapters/http-server.ts) feeds it
// headers, body chunks, the end of the body, a dropped connection and clock ticks; the slot
// (firmware/adapters/ota.ts on the device, a fake in tests) writes the next OTA partition.
//
// The one invariant: the boot partition changes only in `commit()`, and commit runs only
// after every expected byte arrived and the SHA-256 matched. Every other path cancels the
// slot, so the image that is running keeps booting.
// Portable: no Node or Moddable imports.

import { OTA_SLOT_SIZE } from "../partitions.js";
import { bearerToken, equalConstantTime } from "./constant-time.js";

/** Header names of the upload (lower case, as Moddable's server reports them). */
export const OTA_HEADERS = Object.freeze({
  authorization: "authorization",
  contentLength: "content-length",
  sha256: "x-firmware-sha256",
  version: "x-firmware-version",
});

/** An incremental SHA-256. On the device: Moddable's `crypt` Digest; on the host: node:crypto. */
export interface Digest {
  write(chunk: Uint8Array): void;
  /** The lowercase hex digest; called once. */
  hex(): string;
}

/** The next OTA partition (never the one running). */
export interface UpdateSlot {
  /** Bytes the partition holds; larger images are refused before a byte is written. */
  readonly capacity: number;
  begin(size: number): void;
  write(chunk: Uint8Array): void;
  /** Forget what was written; the boot partition stays as it is. Must not throw. */
  cancel(): void;
  /** Check the image (ESP-IDF's esp_ota_end) and make it the boot partition. Throws when the image is not a valid app. */
  commit(): void;
}

export interface UpdatePolicy {
  /** A body that sends nothing for this long is abandoned (a half-open Wi-Fi link never says so). */
  stallMs: number;
  /** This many refusals within `refusalWindowMs` lock the endpoint for the rest of that window. */
  refusalLimit: number;
  refusalWindowMs: number;
  /**
   * Refused bodies up to this size are read and discarded so the client sees the answer (a
   * wrong token on a real image must say "wrong token", not "connection reset"); larger ones,
   * which no real image is, close the connection at once.
   */
  drainLimitBytes: number;
}

export const DEFAULT_UPDATE_POLICY: UpdatePolicy = Object.freeze({
  stallMs: 15_000,
  refusalLimit: 5,
  refusalWindowMs: 60_000,
  drainLimitBytes: OTA_SLOT_SIZE,
});

export interface UpdateRequest {
  authorization?: string;
  contentLength?: string;
  sha256?: string;
  version?: string;
}

export type RefusalReason = "rate_limited" | "disabled" | "unauthorized" | "busy" | "not_confirmed" | "no_length" | "no_hash" | "too_large" | "empty" | "slot_unavailable";
export type AbortReason = "truncated" | "stalled" | "too_long" | "hash_mismatch" | "write_failed" | "image_invalid";

export interface Refusal {
  kind: "refused";
  status: number;
  reason: RefusalReason;
  message: string;
  /** Read and discard the body before answering (small bodies), or close the connection at once. */
  drain: boolean;
  retryAfterS?: number;
}

export type Outcome =
  | { kind: "installed"; status: 200; reason: "installed"; message: string; bytes: number; sha256: string; version?: string }
  | { kind: "aborted"; status: number; reason: AbortReason; message: string; bytes: number };

export interface UpdateDeps {
  /** The OTA token from the secrets; "" disables the endpoint. */
  token: string;
  openSlot(): UpdateSlot;
  createDigest(): Digest;
  /** Milliseconds, monotonic. */
  now(): number;
  /**
   * True while the running image is still on probation. ESP-IDF's esp_ota_begin() refuses to
   * write while the running app is ESP_OTA_IMG_PENDING_VERIFY (with rollback enabled), so the
   * endpoint says so plainly instead of failing inside the slot.
   */
  unconfirmed?(): boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

export class UpdateEndpoint {
  readonly policy: UpdatePolicy;
  #deps: UpdateDeps;
  #active: UpdateSession | undefined;
  #refusals: number[] = [];

  constructor(deps: UpdateDeps, policy: Partial<UpdatePolicy> = {}) {
    this.#deps = deps;
    this.policy = { ...DEFAULT_UPDATE_POLICY, ...policy };
  }

  get busy(): boolean {
    return this.#active !== undefined && !this.#active.done;
  }

  /** Decide on a new upload from its headers. Refusals never touch the slot. */
  open(request: UpdateRequest): Refusal | UpdateSession {
    const now = this.#deps.now();
    const length = parseLength(request.contentLength);
    const drain = length !== undefined && length <= this.policy.drainLimitBytes;

    this.#refusals = this.#refusals.filter((t) => now - t < this.policy.refusalWindowMs);
    if (this.#refusals.length >= this.policy.refusalLimit) {
      // Locked: the token is not even looked at, so guessing gains nothing from here on.
      const retryAfterS = Math.ceil((this.#refusals[0]! + this.policy.refusalWindowMs - now) / 1000);
      return { kind: "refused", status: 429, reason: "rate_limited", message: `too many refused updates; try again in ${retryAfterS} s`, drain, retryAfterS };
    }
    const refuse = (status: number, reason: RefusalReason, message: string): Refusal => {
      this.#refusals.push(now);
      return { kind: "refused", status, reason, message, drain };
    };

    if (!this.#deps.token) return refuse(403, "disabled", "over-the-air updates are disabled: this firmware was built without an ota_token");
    if (!equalConstantTime(bearerToken(request.authorization), this.#deps.token)) return refuse(401, "unauthorized", "wrong or missing OTA token");
    if (this.busy) return refuse(409, "busy", "another update is in progress");
    if (this.#deps.unconfirmed?.()) return refuse(503, "not_confirmed", "the running image has not passed its health check yet; updates are accepted once /status shows image.state valid");
    if (length === undefined) return refuse(411, "no_length", "Content-Length is required (chunked uploads are not accepted)");
    const sha256 = (request.sha256 ?? "").trim().toLowerCase();
    if (!HEX64.test(sha256)) return refuse(400, "no_hash", `${OTA_HEADERS.sha256} must carry the image's SHA-256 as 64 hex digits`);
    if (length === 0) return refuse(400, "empty", "the image is empty");

    let slot: UpdateSlot;
    try {
      slot = this.#deps.openSlot();
    } catch {
      return refuse(503, "slot_unavailable", "no OTA partition to write to (is the partition table the two-slot one?)");
    }
    if (length > slot.capacity) {
      slot.cancel();
      return refuse(413, "too_large", `the image (${length} bytes) is larger than the OTA partition (${slot.capacity} bytes)`);
    }
    try {
      slot.begin(length);
    } catch {
      slot.cancel();
      return refuse(503, "slot_unavailable", "the OTA partition could not be prepared");
    }
    this.#active = new UpdateSession(slot, this.#deps.createDigest(), length, sha256, request.version, now, this.policy.stallMs);
    return this.#active;
  }

  /** Clock tick: abandon a stalled upload. Returns its outcome when it just ended. */
  tick(): Outcome | undefined {
    return this.#active?.check(this.#deps.now());
  }
}

export class UpdateSession {
  readonly kind = "session" as const;
  readonly expected: number;
  readonly version: string | undefined;
  #received = 0;
  #slot: UpdateSlot;
  #digest: Digest;
  #sha256: string;
  #lastActivity: number;
  #stallMs: number;
  #outcome: Outcome | undefined;

  constructor(slot: UpdateSlot, digest: Digest, expected: number, sha256: string, version: string | undefined, now: number, stallMs: number) {
    this.#slot = slot;
    this.#digest = digest;
    this.expected = expected;
    this.#sha256 = sha256;
    this.version = version;
    this.#lastActivity = now;
    this.#stallMs = stallMs;
  }

  get received(): number {
    return this.#received;
  }
  get done(): boolean {
    return this.#outcome !== undefined;
  }
  get outcome(): Outcome | undefined {
    return this.#outcome;
  }

  /** A body chunk. Returns the outcome when the session ended because of it. */
  write(chunk: Uint8Array, now: number): Outcome | undefined {
    if (this.#outcome) return this.#outcome;
    this.#lastActivity = now;
    if (this.#received + chunk.byteLength > this.expected) {
      return this.#abort(400, "too_long", `the body is longer than the announced ${this.expected} bytes`);
    }
    try {
      this.#slot.write(chunk);
    } catch {
      return this.#abort(500, "write_failed", `writing the OTA partition failed at byte ${this.#received}`);
    }
    this.#digest.write(chunk);
    this.#received += chunk.byteLength;
    return undefined;
  }

  /** The transport says the body is complete. Verifies, then (only then) switches the boot partition. */
  finish(): Outcome {
    if (this.#outcome) return this.#outcome;
    if (this.#received < this.expected) {
      return this.#abort(400, "truncated", `the body ended after ${this.#received} of ${this.expected} bytes`);
    }
    const actual = this.#digest.hex();
    if (actual !== this.#sha256) {
      return this.#abort(422, "hash_mismatch", `SHA-256 mismatch: announced ${this.#sha256}, received ${actual}`);
    }
    try {
      this.#slot.commit();
    } catch {
      return this.#abort(422, "image_invalid", "the image is not a valid ESP32 application (esp_ota_end refused it)");
    }
    this.#outcome = { kind: "installed", status: 200, reason: "installed", message: `installed ${this.#received} bytes; restarting`, bytes: this.#received, sha256: actual, version: this.version };
    return this.#outcome;
  }

  /** The connection dropped before the body was complete. */
  disconnected(): Outcome {
    if (this.#outcome) return this.#outcome;
    return this.#abort(400, "truncated", `the connection dropped after ${this.#received} of ${this.expected} bytes`);
  }

  check(now: number): Outcome | undefined {
    if (this.#outcome) return undefined;
    if (now - this.#lastActivity < this.#stallMs) return undefined;
    return this.#abort(408, "stalled", `no data for ${Math.round((now - this.#lastActivity) / 1000)} s after ${this.#received} of ${this.expected} bytes`);
  }

  #abort(status: number, reason: AbortReason, message: string): Outcome {
    this.#slot.cancel();
    this.#outcome = { kind: "aborted", status, reason, message, bytes: this.#received };
    return this.#outcome;
  }
}

function parseLength(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  // Any run of digits is a length; an absurd one (1e20) is then simply too large, not malformed.
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

/** The JSON body the endpoint answers with (no secrets: messages never quote the token). */
export function outcomeBody(result: Refusal | Outcome): string {
  const body: Record<string, unknown> = { ok: result.kind === "installed", reason: result.reason, message: result.message };
  if (result.kind === "refused" && result.retryAfterS !== undefined) body.retry_after_s = result.retryAfterS;
  if (result.kind !== "refused") body.bytes = result.bytes;
  if (result.kind === "installed") {
    body.sha256 = result.sha256;
    if (result.version) body.version = result.version;
  }
  return JSON.stringify(body);
}
