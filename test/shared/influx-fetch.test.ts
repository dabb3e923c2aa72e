// An X-Influxdb-Error header with bytes HTTP parsers refuse (InfluxDB quotes a refused line in it
// byte for byte) must read as InfluxDB's 400, never as "unreachable".
import test from "ava";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/main.js";
import { nodeTransport } from "../../firmware/virtual/http-transport.js";
import type { HttpResponse } from "../../firmware/core/platform.js";
import { EXIT } from "../../shared/exit-codes.js";
import { influxFetch } from "../../shared/influx-fetch.js";

const BODY = '{"error":"unable to parse \'m,t=a\\u0001b f=1 x\': bad timestamp"}\n';

/** A raw-TCP InfluxDB stand-in: SHOW DATABASES knows "simtest"; every write gets a 400 whose header carries a control byte. */
async function standIn(): Promise<{ url: string; writes: () => number; close: () => Promise<void> }> {
  let writes = 0;
  const server: Server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buf.subarray(0, end).toString("latin1");
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      buf = buf.subarray(end + 4 + length);
      const path = head.split(" ")[1] ?? "";
      if (path.startsWith("/write")) {
        writes++;
        const body = Buffer.from(BODY);
        socket.write(Buffer.concat([Buffer.from("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Influxdb-Error: unable to parse 'm,t=a"), Buffer.from([0x01]), Buffer.from(`b f=1 x': bad timestamp\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
      } else {
        const body = Buffer.from('{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["simtest"]]}]}]}');
        socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, writes: () => writes, close: () => new Promise((r) => server.close(() => r())) };
}

test("influxFetch reads the 400 and its body where plain fetch gives up", async (t) => {
  const s = await standIn();
  try {
    await t.throwsAsync(fetch(`${s.url}/write?db=x`, { method: "POST", body: "m f=1 1" }), undefined, "plain fetch refuses the answer (why this module exists)");
    const res = await influxFetch(`${s.url}/write?db=x`, { method: "POST", body: "m f=1 1" });
    t.is(res.status, 400);
    t.is(await res.text(), BODY);
  } finally {
    await s.close();
  }
});

test("the virtual node's transport reports the 400, not a network error", async (t) => {
  const s = await standIn();
  try {
    const res = await new Promise<HttpResponse>((resolve) => nodeTransport(s.url)({ method: "POST", path: "/write?db=x", headers: [], body: "m f=1 1\n" }, resolve));
    t.is(res.status, 400);
    t.is(res.body, BODY);
  } finally {
    await s.close();
  }
});

test("floorbalance simulate --influx says InfluxDB refused the write, not that it is unreachable", async (t) => {
  const s = await standIn();
  const dir = mkdtempSync(join(tmpdir(), "fb-sim-hdr-"));
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  try {
    const config = join(dir, "house.yaml");
    writeFileSync(config, readFileSync("examples/house.yaml", "utf8").replace("database: floorbalance", "database: simtest"));
    writeFileSync(join(dir, "secrets.yaml"), "{}\n");
    process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
    const code = await main(["node", "floorbalance", "simulate", "--config", config, "--days", "0.01", "--start", "2025-11-20", "--influx", s.url]);
    process.stderr.write = write;
    t.is(code, EXIT.influxUnreachable);
    t.true(s.writes() >= 1);
    t.regex(errors.join(""), /refused a write \(HTTP 400\)/);
    t.notRegex(errors.join(""), /cannot reach/);
  } finally {
    process.stderr.write = write;
    rmSync(dir, { recursive: true, force: true });
    await s.close();
  }
});
