// A contact or detector input, debounced: a level counts once it has been stable for
// `debounceMs`. Fed by the adapter with raw levels (on every edge and on a poll); emits the
// debounced edges. Portable.

export class Debouncer {
  private stable: boolean;
  private candidate: boolean;
  private since: number;

  constructor(
    readonly debounceMs: number,
    initial = false,
    nowMs = 0,
  ) {
    this.stable = initial;
    this.candidate = initial;
    this.since = nowMs;
  }

  get level(): boolean {
    return this.stable;
  }

  /** Raw (already active-high) level at nowMs; returns the new stable level on a debounced change, else undefined. */
  sample(raw: boolean, nowMs: number): boolean | undefined {
    if (raw !== this.candidate) {
      this.candidate = raw;
      this.since = nowMs;
    }
    if (this.candidate !== this.stable && nowMs - this.since >= this.debounceMs) {
      this.stable = this.candidate;
      return this.stable;
    }
    return undefined;
  }
}

/** Does a debounced edge of this input mean "someone is there"? Motion: on activation; door: opened or closed. */
export function isDemandEdge(kind: "motion" | "door", level: boolean): boolean {
  return kind === "door" ? true : level;
}
