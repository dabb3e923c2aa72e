// An in-memory stand-in for InfluxDB's /write, for scenarios that run without a server (on XS,
// in the benchmark). Points are keyed by series and time, as InfluxDB keys them, so a resent
// point overwrites instead of adding. `answer` lets a scenario inject outages.

import { parseLine } from "../../shared/line-protocol.js";
import type { HttpRequest, HttpResponse } from "../core/platform.js";

export class FakeInflux {
  readonly points = new Map<string, { measurement: string; tags: Record<string, string>; fields: Record<string, unknown>; time: number }>();
  posts = 0;
  lines = 0;
  /** Return a response to inject a fault; undefined = accept. */
  answer: (req: HttpRequest) => HttpResponse | undefined = () => undefined;

  /** Answers asynchronously, as a real transport does (a synchronous answer would recurse). */
  transport = (req: HttpRequest, done: (r: HttpResponse) => void): void => {
    Promise.resolve().then(() => done(this.handle(req)));
  };

  private handle(req: HttpRequest): HttpResponse {
    this.posts++;
    const injected = this.answer(req);
    if (injected) return injected;
    if (req.method === "GET") return { status: 204, body: "", date: new Date(0).toUTCString() };
    for (const line of (req.body ?? "").split("\n")) {
      if (!line) continue;
      this.lines++;
      const p = parseLine(line);
      const tags = (p.tags ?? {}) as Record<string, string>;
      const key = p.measurement + "," + Object.keys(tags).sort().map((k) => k + "=" + tags[k]).join(",") + " " + p.time;
      // As InfluxDB does: a point with the same series and time merges its fields into the stored one.
      const before = this.points.get(key);
      this.points.set(key, { measurement: p.measurement, tags, fields: { ...(before ? before.fields : {}), ...(p.fields as Record<string, unknown>) }, time: p.time as number });
    }
    return { status: 204, body: "" };
  }

  temperatures(): { rom: string; time: number; celsius: number }[] {
    const out: { rom: string; time: number; celsius: number }[] = [];
    for (const p of this.points.values()) if (p.measurement === "temperature") out.push({ rom: p.tags.rom, time: p.time, celsius: p.fields.celsius as number });
    return out;
  }
}
