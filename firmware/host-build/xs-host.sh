#!/bin/sh
# Build and run the floorbalance firmware core on XS with the Moddable SDK's own toolchain
# (tsc -> xsc -> xsl -> cc) for the headless Linux host platform x-cli-lin, against a simulated
# OneWire bus and a throwaway InfluxDB 1.x on 127.0.0.1. See docs/moddable-host-build.md.
#
# Needs: $MODDABLE = a Moddable SDK checkout (8.2.x) whose host tools are built
#   (as the SDK's own Getting Started guide for Linux describes),
#   TypeScript >= 6 (this repo's node_modules/.bin/tsc is used when present), gcc,
#   pkg-config + the gio-2.0 headers (Debian: libglib2.0-dev), influxd + curl for the run.
# Contains and downloads no SDK code: it writes a small harness (a C main for x-cli-lin, a
# Platform on the SDK's timer/http modules, a TypeScript main) into a work directory and points
# its manifest at this repository's firmware/core, firmware/virtual and shared files.
#
# usage: firmware/host-build/xs-host.sh [cycles=3] [offline-seconds=0]
#   WORK=dir  where to build (default: a new temp dir)   NOCHECK=1  tsc --noCheck (faster)
#   PORT=n    InfluxDB HTTP port (default 18086)          BUILD_ONLY=1  skip the run
set -eu
: "${MODDABLE:?set MODDABLE to a Moddable SDK checkout with built host tools}"
export MODDABLE
FB=$(cd "$(dirname "$0")/../.." && pwd)
CYCLES=${1:-3}
OFFLINE=${2:-0}
PORT=${PORT:-18086}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/floorbalance-xs-host.XXXXXX")}
PATH="$MODDABLE/build/bin/lin/release:$FB/node_modules/.bin:$PATH"
export PATH
command -v mcconfig >/dev/null || { echo "mcconfig not found under \$MODDABLE/build/bin/lin/release: build the SDK's host tools first" >&2; exit 2; }
pkg-config --exists gio-2.0 || { echo "gio-2.0 development headers missing (Debian: apt-get install libglib2.0-dev)" >&2; exit 2; }
case "$(tsc --version 2>/dev/null)" in
  "Version "[6-9]*|"Version "[1-9][0-9]*) ;;
  *) echo "TypeScript >= 6 needed on PATH (the SDK's generated tsconfig targets es2025)" >&2; exit 2 ;;
esac

H="$WORK/xs-host"
mkdir -p "$H" "$WORK/out"
cat > "$H/manifest.json" <<'FB_EOF_MANIFEST_JSON'
{
  "include": ["$(MODDABLE)/examples/manifest_typings.json"],
  "build": {
    "BUILD": "$(MODDABLE)/build",
    "MODULES": "$(MODDABLE)/modules",
    "FB": "@FB@"
  },
  "creation": {
    "static": 0,
    "chunk": { "initial": 262144, "incremental": 65536 },
    "heap": { "initial": 8192, "incremental": 4096 },
    "stack": 8192,
    "keys": { "initial": 512, "incremental": 128, "name": 127, "symbol": 127 },
    "parser": { "buffer": 16384, "table": 127 },
    "main": "main"
  },
  "modules": {
    "*": [
      "./main",
      "./host",
      "./xs-platform",
      "$(MODULES)/base/instrumentation/modInstrumentation",
      "$(MODULES)/base/timer/*",
      "$(MODULES)/base/timer/lin/*",
      "$(MODULES)/network/http/http",
      "$(MODULES)/network/socket/*",
      "$(MODULES)/network/socket/lin/*"
    ],
    "shared/*": [
      "$(FB)/shared/rom",
      "$(FB)/shared/line-protocol",
      "$(FB)/shared/measurements",
      "$(FB)/shared/reading"
    ],
    "firmware/core/*": "$(FB)/firmware/core/*",
    "firmware/core/ota/*": "$(FB)/firmware/core/ota/*",
    "firmware/virtual/*": [
      "$(FB)/firmware/virtual/sim-bus",
      "$(FB)/firmware/virtual/sim-platform",
      "$(FB)/firmware/virtual/flash-double",
      "$(FB)/firmware/virtual/profile"
    ]
  },
  "preload": ["timer", "socket", "http"],
  "strip": [],
  "typescript": {
    "tsconfig": {
      "compilerOptions": {
        "types": ["$(MODDABLE)/xs/includes/xs", "$(MODDABLE)/typings/global"]
      }
    }
  }
}
FB_EOF_MANIFEST_JSON
cat > "$H/main.ts" <<'FB_EOF_MAIN_TS'
// floorbalance firmware core on XS, headless Linux (Moddable x-cli-lin): the real FirmwareNode
// (sampler, sensor table, buffer, flash ring, writer, scheduler, health) with real timers and
// real HTTP POSTs to an InfluxDB on 127.0.0.1, reading a simulated OneWire bus (SimBus, the same
// portable model FWCORE's Node tests use) in place of the ESP32's RMT bus.
//   usage: harness <influx-port> [cycles] [offline-seconds]
import { canonicalToWire, makeRom, romToCanonical } from "shared/rom";
import type { NodeConfig } from "firmware/core/config";
import { FirmwareNode } from "firmware/core/node";
import { SimBus } from "firmware/virtual/sim-bus";
import { MemoryFlash } from "firmware/virtual/flash-double";
import { thermalProfile } from "firmware/virtual/profile";
import { seeded } from "firmware/virtual/sim-platform";
import { XsHostPlatform } from "xs-platform";
import { argv, exit, print } from "host";

const args = argv();
const port = Number(args[1] ?? 8086);
const cycles = Number(args[2] ?? 3);
const offlineS = Number(args[3] ?? 0);

const rom = (serial: number) => romToCanonical(makeRom(serial));
const config: NodeConfig = {
  node: "xs-host",
  hostname: "floorbalance-xs-host",
  firmware: "host-xs",
  interval_s: 2,
  resolution: 12,
  buses: [
    { id: "m1", pin: 4, sensors: [rom(0x101), rom(0x102), rom(0x103)].map((r) => ({ rom: r })) },
    { id: "m2", pin: 5, sensors: [rom(0x201), rom(0x202)].map((r) => ({ rom: r })) },
  ],
  influx: { host: "127.0.0.1", port, database: "floorbalance", retention_policy: "autogen", precision: "s" },
};

const platform = new XsHostPlatform({ host: "127.0.0.1", port });
platform.offlineUntilMs = offlineS * 1000;
const random = seeded(42);
const source = thermalProfile();
const buses = config.buses.map((b) => {
  const bus = new SimBus(random);
  for (const s of b.sensors) bus.add({ wire: canonicalToWire(s.rom), temperature: () => source(s.rom, Date.now() / 1000), faults: {} });
  return bus;
});
// One brown-out on the first sensor: its first read is the 85 °C power-on value, which the
// core must reject and never write.
buses[0].sensors[0].faults.powerOnReads = 1;
// An unconfigured sensor on m2: found by SEARCH ROM, written with mapped=false.
const stray = rom(0x2ff);
buses[1].add({ wire: canonicalToWire(stray), temperature: () => 21.5, faults: {} });

const flash = new MemoryFlash(64 * 1024);
const node = new FirmwareNode(config, platform, buses, flash, { healthEveryS: 1 });
print(`XS host run: ${cycles} cycle(s), InfluxDB 127.0.0.1:${port}, offline for the first ${offlineS} s`);
node.start();

const check = () => {
  const overdue = platform.monotonicMs() > (cycles * config.interval_s + offlineS + 15) * 1000;
  if (!overdue && (node.cycles < cycles || node.snapshot().buffer.depth > 0)) {
    platform.after(100, check);
    return;
  }
  node.stop();
  const s = node.snapshot();
  if (overdue) print("gave up waiting: readings still buffered");
  print(`cycles=${node.cycles} cycle_ms=${node.cycleMs} lines_written=${node.linesWritten} http_requests=${platform.requests} body_bytes=${platform.bodyBytes} largest_body=${platform.largestBody}`);
  print(`flash: ${flash.writes} write(s), ${flash.erases} erase(s)`);
  print(`write status=${s.write.status} http=${s.write.http_status} buffer_depth=${s.buffer.depth} dropped=${s.buffer.dropped}`);
  print(`rejected=${JSON.stringify(node.rejected)}`);
  for (const b of s.buses) for (const x of b.sensors) print(`  ${b.id} ${x.rom} mapped=${x.mapped} last_c=${x.last_c} rejected=${x.rejected}`);
  exit(s.write.status === "ok" && s.buffer.depth === 0 ? 0 : 1);
};
platform.after(100, check);
FB_EOF_MAIN_TS
cat > "$H/xs-platform.ts" <<'FB_EOF_XS_PLATFORM_TS'
// The core's Platform on Moddable's own modules, headless Linux (x-cli-lin): "timer" for
// timers, "http" (Request over the lin socket module) for InfluxDB, Date for both clocks.
// What differs from the ESP32 adapter: no Wi-Fi (always online), no SNTP (the host clock is set),
// no heap figure, restart() ends the process.
import Timer from "timer";
import { Request } from "http";
import type { HttpRequest, HttpResponse, Platform, Timer as CoreTimer } from "firmware/core/platform";
import { utf8 } from "firmware/core/writer";
import { print, exit } from "host";

const HTTP_TIMEOUT_MS = 10_000;

export class XsHostPlatform implements Platform {
  private readonly bootMs = Date.now();
  private wallOffsetS = 0;
  requests = 0;
  bodyBytes = 0;
  largestBody = 0;
  /** Simulated Wi-Fi outage: offline (and every request fails) until this monotonic time. */
  offlineUntilMs = 0;

  constructor(private readonly influx: { host: string; port: number }) {}

  monotonicMs(): number {
    return Date.now() - this.bootMs;
  }
  wallS(): number | undefined {
    return Date.now() / 1000 + this.wallOffsetS;
  }
  setWallS(seconds: number): void {
    this.wallOffsetS = seconds - Date.now() / 1000;
  }
  after(ms: number, fn: () => void): CoreTimer {
    let id: any = Timer.set(() => {
      id = undefined;
      try {
        fn();
      } catch (e) {
        // On the device this is an unhandled exception (abort + restart); here say what it was.
        print(`### uncaught in a timer callback: ${e}`);
        exit(4);
      }
    }, Math.max(0, Math.round(ms)));
    return {
      cancel: () => {
        if (id !== undefined) Timer.clear(id);
        id = undefined;
      },
    };
  }
  http(request: HttpRequest, done: (response: HttpResponse) => void): void {
    this.requests++;
    if (!this.online()) {
      Timer.set(() => done({ status: 0, body: "", error: "network" }), 0);
      return;
    }
    const headers: string[] = [];
    for (const [name, value] of request.headers) headers.push(name, value);
    // The body goes out in fragments no larger than the socket can take: one write of a whole
    // batch throws "can't write all data" when it exceeds the socket's send buffer (1 KB on
    // Linux, the lwIP send buffer on ESP32). Content-Length counts UTF-8 bytes.
    const body = request.body === undefined ? undefined : utf8(request.body);
    let sent = 0;
    if (body) {
      headers.push("Content-Length", String(body.length));
      this.bodyBytes += body.length;
      if (body.length > this.largestBody) this.largestBody = body.length;
    }
    const response: HttpResponse = { status: 0, body: "" };
    let finished = false;
    const finish = (r: HttpResponse) => {
      if (finished) return;
      finished = true;
      Timer.clear(timeout);
      done(r);
    };
    const req: any = new Request({
      host: this.influx.host,
      port: this.influx.port,
      method: request.method,
      path: request.path,
      headers,
      body: body ? true : false,
      response: String,
    });
    // The lin socket module reports a refused connection by throwing from its connect callback
    // (inside http.js, "write failed") instead of calling back with an error: without this the
    // exception escapes to the host loop and aborts the process. Turn it into a network error.
    const inner = req.socket.callback;
    req.socket.callback = (...message: unknown[]) => {
      try {
        return inner(...message);
      } catch (e) {
        req.close();
        finish({ status: 0, body: "", error: `network: ${e}` });
      }
    };
    const timeout = Timer.set(() => {
      req.close();
      finish({ status: 0, body: "", error: "timeout" });
    }, HTTP_TIMEOUT_MS);
    req.callback = function (message: number, value?: any, etc?: any) {
      try {
        return onMessage(message, value, etc);
      } catch (e) {
        print(`### uncaught in an HTTP callback: ${e}`);
        exit(4);
      }
    };
    const onMessage = (message: number, value?: any, etc?: any): ArrayBuffer | undefined => {
      if (message === Request.requestFragment) {
        if (!body || sent >= body.length) return undefined;
        const n = Math.min(value as number, body.length - sent);
        const chunk = body.slice(sent, sent + n).buffer;
        sent += n;
        return chunk;
      }
      if (message === Request.status) response.status = value;
      else if (message === Request.header) {
        if (value === "retry-after") response.retryAfter = etc;
        else if (value === "date") response.date = etc;
      } else if (message === Request.responseComplete) {
        response.body = typeof value === "string" ? value : "";
        finish(response);
      } else if (message < 0) finish({ status: 0, body: "", error: "network" });
    };
  }
  online(): boolean {
    return this.monotonicMs() >= this.offlineUntilMs;
  }
  rssi(): number {
    return 0;
  }
  freeHeap(): number {
    return 0;
  }
  resetReason(): string {
    return "power_on";
  }
  restart(why: string): void {
    print(`restart requested: ${why}`);
    exit(3);
  }
  log(line: string): void {
    print(`[node] ${line}`);
  }
  random(): number {
    return Math.random();
  }
}
FB_EOF_XS_PLATFORM_TS
cat > "$H/host.js" <<'FB_EOF_HOST_JS'
// Host natives for the x-cli-lin harness (implemented in host.c).
export function print(...items) @ "xs_host_print";
export function argv() @ "xs_host_argv";
export function exit(code) @ "xs_host_exit";
FB_EOF_HOST_JS
cat > "$H/host.d.ts" <<'FB_EOF_HOST_D_TS'
declare module "host" {
  export function print(...items: unknown[]): void;
  export function argv(): string[];
  export function exit(code: number): never;
}
FB_EOF_HOST_D_TS
cat > "$H/host.c" <<'FB_EOF_HOST_C'
// C entry point for the floorbalance XS host harness on Moddable's x-cli-lin platform, which
// leaves `main` to the application. Prepares the XS machine that mcconfig/xsl linked in,
// imports the "main" module, then runs the GLib main loop that the lin timer and socket modules
// attach their sources to, until JavaScript calls exit().
#include "xs.h"
#include "mc.xs.h"
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

static int gArgc;
static char **gArgv;

void fxAbort(xsMachine *the, int status)
{
	fprintf(stderr, "### XS abort %d\n", status);
	if (status == xsUnhandledExceptionExit) {
		xsTry {
			fprintf(stderr, "### exception: %s\n", xsToString(xsException));
		}
		xsCatch {
		}
	}
	exit(100 + status);
}

void xs_host_print(xsMachine *the)
{
	int argc = xsToInteger(xsArgc), i;
	for (i = 0; i < argc; i++) {
		if (i) fputc(' ', stdout);
		fputs(xsToString(xsArg(i)), stdout);
	}
	fputc('\n', stdout);
	fflush(stdout);
}

void xs_host_argv(xsMachine *the)
{
	int i;
	xsVars(1);
	xsResult = xsNewArray(0);
	for (i = 0; i < gArgc; i++) {
		xsVar(0) = xsString(gArgv[i]);
		xsCall1(xsResult, xsID_push, xsVar(0));
	}
}

void xs_host_exit(xsMachine *the)
{
	fflush(stdout);
	exit(xsToInteger(xsArg(0)));
}

int main(int argc, char *argv[])
{
	xsMachine *machine;
	GMainLoop *loop;
	int error = 0;
	gArgc = argc;
	gArgv = argv;
	machine = xsPrepareMachine(NULL, xsPreparation(), "floorbalance", NULL, NULL);
	if (!machine) {
		fprintf(stderr, "### XS version mismatch\n");
		return 2;
	}
	loop = g_main_loop_new(NULL, FALSE);
	xsBeginHost(machine);
	{
		xsVars(1);
		xsTry {
			// No top-level await in "main": xsAwaitImport rejects an async module ("async module").
			xsVar(0) = xsAwaitImport("main", XS_IMPORT_NAMESPACE);
		}
		xsCatch {
			fprintf(stderr, "### %s\n", xsToString(xsException));
			error = 1;
		}
	}
	xsEndHost(machine);
	if (!error)
		g_main_loop_run(loop);
	xsDeleteMachine(machine);
	return error;
}
FB_EOF_HOST_C
sed -i "s#@FB@#$FB#" "$H/manifest.json"
if [ "${NOCHECK:-0}" = 1 ]; then
  printf '#!/bin/sh\nexec tsc --noCheck "$@"\n' > "$WORK/tsc-nocheck"
  chmod +x "$WORK/tsc-nocheck"
  sed -i "s#\"typescript\": {#\"typescript\": { \"compiler\": \"$WORK/tsc-nocheck\",#" "$H/manifest.json"
fi

echo "# mcconfig -m -p x-cli-lin ($H)"
(cd "$H" && mcconfig -m -p x-cli-lin -o "$WORK/out")
BIN="$WORK/out/bin/lin/release/xs-host"
echo "# built $BIN"
[ "${BUILD_ONLY:-0}" = 1 ] && exit 0

command -v influxd >/dev/null || { echo "influxd not found: run $BIN <port> against your own InfluxDB 1.x" >&2; exit 2; }
D="$WORK/influxd"
mkdir -p "$D"
cat > "$D/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$((PORT + 1))"
[meta]
  dir = "$D/meta"
  logging-enabled = false
[data]
  dir = "$D/data"
  wal-dir = "$D/wal"
  query-log-enabled = false
[retention]
  enabled = false
[shard-precreation]
  enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$PORT"
  log-enabled = false
[logging]
  level = "error"
  suppress-logo = true
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
CONF
influxd -config "$D/influxdb.conf" > "$D/influxd.log" 2>&1 &
INFLUXD=$!
trap 'kill $INFLUXD 2>/dev/null || true' EXIT
i=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/ping")" = 204 ]; do
  i=$((i + 1)); [ $i -lt 100 ] || { echo "influxd did not start on 127.0.0.1:$PORT" >&2; exit 2; }
  sleep 0.1
done
curl -s -XPOST "http://127.0.0.1:$PORT/query" --data-urlencode "q=CREATE DATABASE floorbalance" > /dev/null

set +e
"$BIN" "$PORT" "$CYCLES" "$OFFLINE"
RC=$?
set -e
q() { curl -s -G "http://127.0.0.1:$PORT/query" --data-urlencode db=floorbalance --data-urlencode "q=$1"; echo; }
echo "# InfluxDB now holds:"
q "SELECT count(celsius) FROM temperature GROUP BY rom, mapped"
q "SELECT max(celsius) FROM temperature"
q "SELECT count(uptime_s) FROM node_health"
q "SELECT count(found) FROM bus_health"
exit $RC
