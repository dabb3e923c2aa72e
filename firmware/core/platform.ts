// Everything the core needs from the outside world, in one narrow interface. Moddable adapters
// implement it on the device (firmware/adapters/platform.ts), firmware/virtual/ in Node, and the
// tests with a simulated clock.

export interface Timer {
  cancel(): void;
}

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  headers: [string, string][];
  body?: string;
}

export interface HttpResponse {
  /** HTTP status; 0 for a network error or a timeout (then `error` says which). */
  status: number;
  body: string;
  retryAfter?: string;
  date?: string;
  error?: string;
}

export interface Platform {
  /** Milliseconds since boot; never goes backwards, never jumps with SNTP. */
  monotonicMs(): number;
  /** Unix seconds, or undefined while nobody (SNTP) has set the clock. */
  wallS(): number | undefined;
  /** Set the clock from another source (the Date header of InfluxDB's answer). */
  setWallS(seconds: number): void;
  after(ms: number, fn: () => void): Timer;
  http(request: HttpRequest, done: (response: HttpResponse) => void): void;
  /** Wi-Fi associated and an address obtained. */
  online(): boolean;
  rssi(): number;
  freeHeap(): number;
  resetReason(): string;
  /** A last resort for the supervisor: restart the device. */
  restart(why: string): void;
  log(line: string): void;
  random(): number;
}
