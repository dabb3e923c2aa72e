// The part of the Moddable build that needs no ESP-IDF, for `floorbalance firmware build` on a
// machine without it; the same stages CI runs (../shared/toolchains/moddable/check-esp32.sh):
//   1. mcconfig -p esp32 -t build (without -m): resolves the manifest, writes the makefile;
//   2. make, only the module targets: tsc -> xsc for every .xsb, xsid for every .xsi;
//   3. xsl, the XS linker, over all modules, as the makefile's mc.xs.c rule runs it;
//   4. every import of every project module names a module in the build (import-check.ts).
// The esp32 makefile only reads `git describe` of $IDF_PATH, so an empty placeholder repository
// tagged with the SDK's expected ESP-IDF version stands in for it. No C is compiled for the chip
// and no image is made: that is the ESP-IDF step this cannot replace.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { checkImports, type ImportCheck } from "./import-check.js";

export interface Captured {
  code: number;
  output: string;
}

/** Runs a tool, capturing stdout and stderr together. */
export type Capture = (command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }) => Promise<Captured>;

export const runCapture: Capture = (command, args, opts) =>
  new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (err) => reject(new UserError(`could not start ${command}: ${err.message}`, EXIT.toolMissing)));
    child.on("close", (code) => resolveRun({ code: code ?? 1, output }));
  });

// Appended to mcconfig's makefile: the module stage and xsl only, never the ESP-IDF rules.
const CHECK_MK = `check-modules: $(filter %.xsb %.xsi,$(MODULES))
check-xsl:
\txsl -b $(MODULES_DIR) -o $(TMP_DIR) $(PRELOADS) $(STRIPS) $(CREATION) $(MODULES)
check-list:
\t@for m in $(filter %.xsb,$(MODULES)); do echo "$$m"; done
`;

export interface SdkCheck {
  ok: boolean;
  /** Modules compiled, of all the build's .xsb modules. */
  compiled: number;
  total: number;
  /** Module names that did not compile. */
  failed: string[];
  /** "xsl ok (388 instances)", "xsl FAILED" or "xsl not run (modules failed)". */
  xsl: string;
  imports: ImportCheck;
  /** The failing stages' error lines (tsc, xsc, xsl, imports). */
  errors: string[];
  /** One line, as CI's check prints it: "moddable esp32 check: manifest ok, 55 modules compiled, …". */
  summary: string;
  /** mcconfig's output folder (logs and the build's tmp files). */
  out: string;
}

/** The ESP-IDF version the SDK's esp32 build expects (its manifest's EXPECTED_ESP_IDF). */
export function expectedIdf(moddable: string): string {
  try {
    const m = /"EXPECTED_ESP_IDF"\s*:\s*"([^"]+)"/.exec(readFileSync(join(moddable, "build", "devices", "esp32", "manifest.json"), "utf8"));
    return m?.[1] ?? "v6.0";
  } catch {
    return "v6.0";
  }
}

/** Error lines of a module-stage or xsl log: each TypeScript error with its indented continuation, then other error lines, once each. */
export function errorLines(log: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const lines = log.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let block = line;
    if (/error TS\d+:/.test(line)) {
      while (i + 1 < lines.length && lines[i + 1]!.startsWith(" ")) block += "\n" + lines[++i];
    } else if (!/: error|[Ee]rror:|^make: \*\*\*|^### Error|: not found$/.test(line)) continue;
    if (!seen.has(block)) out.push(block);
    seen.add(block);
  }
  return out;
}

/** The first node_modules/.bin at or above `dir` that holds tsc, else the PATH's; undefined when there is none. */
export function findTscBin(dir: string, path: string | undefined): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules", ".bin", "tsc"))) return join(d, "node_modules", ".bin");
    if (dirname(d) === d) break;
  }
  return (path ?? "").split(delimiter).find((d) => d && existsSync(join(d, "tsc")));
}

export async function checkWithoutIdf(o: {
  manifest: string;
  /** mcconfig's -o; the build folder for this manifest in it is emptied first. */
  out: string;
  moddable: string;
  mcconfig: string;
  env: NodeJS.ProcessEnv;
  /** Where the project's TypeScript is looked for first (its node_modules/.bin at or above). */
  tscFrom: string;
  debug?: boolean;
  run?: Capture;
  log?: (line: string) => void;
}): Promise<SdkCheck> {
  const run = o.run ?? runCapture;
  const log = o.log ?? (() => {});
  const name = basename(dirname(o.manifest));
  const mode = o.debug ? "debug" : "release";
  const build = join(o.out, "tmp", "esp32", mode, name);
  rmSync(build, { recursive: true, force: true });
  rmSync(join(o.out, "bin", "esp32", mode, name), { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  // mcconfig's makefile runs `tsc` for every TypeScript module; without one, all of them fail.
  const tscBin = findTscBin(o.tscFrom, o.env.PATH);
  if (!tscBin) throw new UserError("TypeScript's tsc was not found: mcconfig compiles the firmware's TypeScript modules with it", EXIT.toolMissing, "run npm ci in the floorbalance checkout (it installs TypeScript 6), or put tsc 6 or newer on PATH");
  const path = [tscBin, dirname(o.mcconfig), o.env.PATH ?? ""].join(delimiter);

  const idf = mkdtempSync(join(tmpdir(), "placeholder-esp-idf-"));
  try {
    const git = (args: string[]) => run("git", ["-C", idf, "-c", "user.name=placeholder", "-c", "user.email=placeholder@invalid", ...args], { env: o.env });
    for (const args of [["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "placeholder: not ESP-IDF"], ["tag", expectedIdf(o.moddable)]]) {
      const r = await git(args);
      if (r.code !== 0) throw new UserError(`could not make the placeholder ESP-IDF repository for the check (git ${args[0]}): ${r.output.trim()}`, EXIT.toolMissing, "install git");
    }
    const env = { ...o.env, MODDABLE: o.moddable, IDF_PATH: idf, PATH: path };

    log(`check: mcconfig ${o.debug ? "-d " : ""}-p esp32 -t build (manifest and makefile; no ESP-IDF)`);
    const mc = await run(o.mcconfig, [...(o.debug ? ["-d"] : []), "-p", "esp32", "-t", "build", "-o", o.out, o.manifest], { cwd: dirname(o.manifest), env });
    const makefile = join(build, "makefile");
    if (mc.code !== 0 || !existsSync(makefile)) {
      const errors = mc.output.trim().split("\n").slice(-20);
      const summary = `moddable esp32 check: FAILED at the manifest: ${errors.find((l) => /error/i.test(l)) ?? errors.at(-1) ?? `mcconfig exit code ${mc.code}`}`;
      return { ok: false, compiled: 0, total: 0, failed: [], xsl: "xsl not run (manifest failed)", imports: { files: 0, specifiers: 0, unresolved: [], unchecked: [] }, errors, summary, out: o.out };
    }
    const checkMk = join(build, "floorbalance-check.mk");
    writeFileSync(checkMk, CHECK_MK);
    const make = (args: string[]) => run("make", ["--no-print-directory", "-C", build, "-f", makefile, "-f", checkMk, ...args], { env });

    log("check: tsc and xsc of every module, xsid");
    const modules = await make(["-k", "check-modules"]);
    const listed = (await make(["-s", "check-list"])).output.split("\n").filter((l) => l.endsWith(".xsb"));
    const failed = listed.filter((f) => !existsSync(f)).map((f) => f.slice(join(build, "modules").length + 1, -4));
    const errors = modules.code === 0 && failed.length === 0 ? [] : errorLines(modules.output);
    const compiled = listed.length - failed.length;

    let xsl = "xsl not run (modules failed)";
    if (modules.code === 0 && failed.length === 0) {
      log("check: xsl (the XS link of all modules)");
      const linked = await make(["check-xsl"]);
      const instances = /^### (\d+) instances/m.exec(linked.output)?.[1];
      xsl = linked.code === 0 ? `xsl ok (${instances ?? "?"} instances)` : "xsl FAILED";
      if (linked.code !== 0) errors.push(...errorLines(linked.output));
    }

    const imports = checkImports(readFileSync(makefile, "utf8"), o.moddable, (p) => (existsSync(p) ? readFileSync(p, "utf8") : undefined));
    errors.push(...imports.unresolved);
    const ok = failed.length === 0 && modules.code === 0 && xsl.startsWith("xsl ok") && imports.unresolved.length === 0 && imports.unchecked.length === 0;
    const modStatus = ok || (failed.length === 0 && modules.code === 0) ? `${compiled} modules compiled` : `${failed.length || "some"} of ${listed.length} modules FAILED to compile (${failed.join(" ") || "see make's output"})`;
    let impStatus = `${imports.specifiers - imports.unresolved.length} imports resolved, ${imports.unresolved.length} unresolved`;
    if (imports.unchecked.length) impStatus += `, ${imports.unchecked.length} modules not checked`;
    const summary = `moddable esp32 check: ${ok ? "" : "FAILED: "}manifest ok, ${modStatus}, ${xsl}, ${impStatus}`;
    return { ok, compiled, total: listed.length, failed, xsl, imports, errors, summary, out: o.out };
  } finally {
    rmSync(idf, { recursive: true, force: true });
  }
}
