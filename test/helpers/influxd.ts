// Starts Debian's influxd (1.6.x) for the tests: 127.0.0.1 only, free ports, a temporary
// directory, reporting off, every other listener off; stopped by PID afterwards.
// Without influxd: under CI the tests fail with an install hint; elsewhere they are skipped
// with a loud notice.

import type { TestFn } from "ava";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { influxFetch } from "../../shared/influx-fetch.js";

export interface Influxd {
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** Run InfluxQL (POST /query); throws on HTTP or per-statement errors. */
  query(q: string, db?: string): Promise<any[]>;
  /** POST line protocol (precision s); returns the HTTP status. */
  write(db: string, body: string): Promise<number>;
  createDatabase(db: string): Promise<void>;
  stop(): Promise<void>;
}

export const INSTALL_HINT = "influxd is not on the PATH: install Debian's InfluxDB 1.6 with `apt-get install -y influxdb` (.ci/run does this)";

export function findInfluxd(): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "influxd");
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** Turn on HTTP authentication (an admin user must then be created first). */
  auth?: boolean;
  /** Largest accepted /write body, bytes (InfluxDB's default is 25 MB). */
  maxBodySize?: number;
  /**
   * Snapshot the cache and fully compact shards seconds after writes stop, instead of InfluxDB's
   * 10 min / 4 h. Benchmarks that load a month at once use it to query data in the compacted
   * state a long-running server keeps its history in.
   */
  compactPromptly?: boolean;
}

export async function startInfluxd(options: StartOptions = {}): Promise<Influxd> {
  const binary = findInfluxd();
  if (!binary) throw new Error(INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), "floorbalance-influxd-"));
  const port = await freePort();
  const rpcPort = await freePort();
  const config = `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
  logging-enabled = false
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
  wal-fsync-delay = "0s"
${options.compactPromptly ? '  cache-snapshot-write-cold-duration = "1s"\n  compact-full-write-cold-duration = "5s"\n' : ""}[coordinator]
  log-queries-after = "0s"
[retention]
  enabled = false
[shard-precreation]
  enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  auth-enabled = ${options.auth ? "true" : "false"}
  log-enabled = false
  write-tracing = false
  pprof-enabled = false
  max-body-size = ${options.maxBodySize ?? 25000000}
[logging]
  level = "error"
  suppress-logo = true
[subscriber]
  enabled = false
[[graphite]]
  enabled = false
[[collectd]]
  enabled = false
[[opentsdb]]
  enabled = false
[[udp]]
  enabled = false
[continuous_queries]
  enabled = false
`;
  writeFileSync(join(dir, "influxdb.conf"), config);
  const child: ChildProcess = spawn(binary, ["-config", join(dir, "influxdb.conf")], { stdio: ["ignore", "ignore", "pipe"], detached: false });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`influxd exited at start (${child.exitCode}): ${stderr.slice(-500)}`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.status === 204) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`influxd did not answer /ping within 20 s: ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const auth = options.auth ? "&u=admin&p=admin" : "";
  const query = async (q: string, db?: string) => {
    const params = new URLSearchParams({ q, epoch: "s" });
    if (db) params.set("db", db);
    const res = await fetch(`${url}/query?${params}${auth}`, { method: "POST" });
    const body = (await res.json()) as { results?: any[]; error?: string };
    if (res.status !== 200 || body.error) throw new Error(`query failed (${res.status}): ${body.error ?? ""}`);
    for (const r of body.results ?? []) if (r.error) throw new Error(`query failed: ${r.error}`);
    return body.results ?? [];
  };
  const server: Influxd = {
    url,
    port,
    pid: child.pid!,
    dir,
    query,
    async write(db, body) {
      const res = await influxFetch(`${url}/write?db=${encodeURIComponent(db)}&precision=s${auth}`, { method: "POST", body });
      await res.arrayBuffer();
      return res.status;
    },
    async createDatabase(db) {
      await query(`CREATE DATABASE "${db.replace(/"/g, '\\"')}"`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        process.kill(child.pid!, "SIGTERM");
        const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, "SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.auth) {
    // With auth on, the first user must be an admin, created before any other request.
    const res = await fetch(`${url}/query?q=${encodeURIComponent("CREATE USER admin WITH PASSWORD 'admin' WITH ALL PRIVILEGES")}`, { method: "POST" });
    await res.arrayBuffer();
  }
  return server;
}

/**
 * Wire a test file to one influxd. Returns the test function to use (test.skip, with a loud
 * notice, when influxd is missing outside CI) and an accessor for the running server.
 */
export function useInfluxd(test: TestFn, options: StartOptions = {}): { test: TestFn; influxd: () => Influxd } {
  let server: Influxd | undefined;
  if (!findInfluxd() && !process.env.CI) {
    process.stderr.write(`\n*** SKIPPING InfluxDB integration tests: ${INSTALL_HINT} ***\n\n`);
    return {
      test: test.skip as unknown as TestFn,
      influxd: () => {
        throw new Error(INSTALL_HINT);
      },
    };
  }
  test.before(async () => {
    server = await startInfluxd(options);
  });
  test.after.always(async () => {
    await server?.stop();
  });
  return {
    test,
    influxd: () => {
      if (!server) throw new Error(INSTALL_HINT);
      return server;
    },
  };
}
