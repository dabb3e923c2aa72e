// Run the firmware core on the XS engine: esbuild bundles firmware/virtual/xs-entry.ts into one
// ESM file, @agoric/xsnap imports it. Used by test/firmware/xs.test.ts and bench/firmware.ts (Node only).
import "@endo/init/debug.js";
import { xsnap } from "@agoric/xsnap";
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as fsp from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import tmp from "tmp";

const ENTRY = fileURLToPath(new URL("./xs-entry.ts", import.meta.url));

export async function bundleCore(): Promise<{ path: string; bytes: number; cleanup: () => void }> {
  const out = await build({ entryPoints: [ENTRY], bundle: true, format: "esm", platform: "neutral", target: "es2022", write: false, minify: false });
  const dir = mkdtempSync(join(os.tmpdir(), "fb-xs-"));
  const path = join(dir, "core.js");
  writeFileSync(path, out.outputFiles[0].contents);
  return { path, bytes: out.outputFiles[0].contents.length, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface XsRun {
  evaluate(code: string): Promise<{ heapSlots: number; allocate: number }>;
  /** Run `code` (an async expression) in XS and get its JSON result back. */
  call(code: string): Promise<any>;
  close(): Promise<void>;
}

export async function startXs(bundlePath: string): Promise<XsRun> {
  const replies: string[] = [];
  const decoder = new TextDecoder();
  const worker = await xsnap({
    name: "floorbalance-core",
    meteringLimit: 0, // no computation limit: a scenario is many simulated hours
    os: os.type(),
    spawn,
    fs: { ...fsp, createReadStream, tmpName: tmp.tmpName } as any,
    handleCommand: async (msg: Uint8Array) => {
      replies.push(decoder.decode(msg));
      return new Uint8Array();
    },
  });
  await worker.import(bundlePath);
  return {
    async evaluate(code: string) {
      const r = await worker.evaluate(code);
      return { heapSlots: Number(r.meterUsage.currentHeapCount ?? 0), allocate: Number(r.meterUsage.allocate ?? 0) };
    },
    async call(code: string) {
      const before = replies.length;
      await worker.evaluate(`(async () => { const r = await (${code}); issueCommand(new TextEncoder().encode(JSON.stringify(r)).buffer); })().catch((e) => issueCommand(new TextEncoder().encode(JSON.stringify({ error: String(e && e.stack || e) })).buffer));`);
      if (replies.length === before) throw new Error("XS gave no answer: the bundle failed to load or the scenario did not finish");
      return JSON.parse(replies[replies.length - 1]);
    },
    close: () => worker.close(),
  };
}
