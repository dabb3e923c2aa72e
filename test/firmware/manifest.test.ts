// The device manifests name every module of the repository, and XS resolves a relative import
// against the importing module's NAME (not its file): `../../shared/rom.js` in the module named
// `firmware/core/node` is `shared/rom`. A build whose names do not mirror the repository layout
// compiles fine and fails at boot (`module "../../shared/rom.js" not found`), so this checks,
// without the SDK, that every relative import of every listed module lands on a listed name.
import test from "ava";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const FIRMWARE = join(dirname(fileURLToPath(import.meta.url)), "../../firmware");
const MANIFESTS = ["manifest.json", "manifest_delivery.json", "manifest_dhw.json", "manifest_ble.json"];

interface Manifest {
  modules?: Record<string, string | string[]>;
  preload?: string[];
  creation?: { main?: string };
}

function readManifest(name: string): Manifest {
  return JSON.parse(readFileSync(join(FIRMWARE, name), "utf8")) as Manifest;
}

/** The source file of a manifest path without extension (mcconfig adds .ts or .js). */
function sourceOf(path: string): string | undefined {
  for (const ext of [".ts", ".js"]) if (existsSync(path + ext)) return path + ext;
  return undefined;
}

/** Module name → source file, expanding `dir/*` the way mcconfig does (one module per file). */
function moduleMap(manifests: Manifest[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of manifests) {
    for (const [key, value] of Object.entries(m.modules ?? {})) {
      for (const path of Array.isArray(value) ? value : [value]) {
        if (path.startsWith("$(")) continue; // SDK modules: not ours to resolve
        const abs = join(FIRMWARE, path);
        if (path.endsWith("/*")) {
          const dir = abs.slice(0, -2);
          for (const f of readdirSync(dir)) {
            if (!/\.(ts|js)$/.test(f) || f.endsWith(".d.ts")) continue;
            const file = basename(f).replace(/\.(ts|js)$/, "");
            const name = key === "*" ? file : key.endsWith("/*") ? key.slice(0, -1) + file : key;
            names.set(name, join(dir, f));
          }
        } else {
          const file = sourceOf(abs);
          if (!file) throw new Error(`${key}: ${path} has no .ts or .js file`);
          names.set(key.endsWith("*") ? key.slice(0, -1) + basename(path) : key, file);
        }
      }
    }
  }
  return names;
}

/** What XS looks up for `specifier` imported by the module named `from`; null if it climbs above the root. */
export function resolveByName(from: string, specifier: string): string | null {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return specifier;
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (joined.startsWith("../") || joined === "..") return null;
  return joined.replace(/\.js$/, "");
}

function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

function unresolved(names: Map<string, string>): string[] {
  const bad: string[] = [];
  for (const [name, file] of names) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith(".")) continue; // SDK modules (timer, http, mc/config, …)
      const target = resolveByName(name, spec);
      if (target === null || !names.has(target)) bad.push(`${name}: "${spec}" → ${target ?? "(above the root)"}`);
    }
  }
  return bad;
}

const manifests = MANIFESTS.map(readManifest);
const names = moduleMap(manifests);

test("every relative import of every module in the device manifests resolves to a listed module name", (t) => {
  t.true(names.size >= 20, `only ${names.size} modules listed`);
  t.deepEqual(unresolved(names), []);
});

test("the entry module is listed, and main.ts, every adapter, the core and the shared modules it needs are in the build", (t) => {
  const main = manifests[0].creation?.main;
  t.is(main, "firmware/main");
  t.is(names.get(main!), join(FIRMWARE, "main.ts"));
  for (const f of readdirSync(join(FIRMWARE, "adapters"))) {
    if (f.endsWith(".ts")) t.true(names.has("firmware/adapters/" + f.slice(0, -3)), f);
  }
  for (const f of readdirSync(join(FIRMWARE, "core"))) {
    if (f.endsWith(".ts")) t.true(names.has("firmware/core/" + f.slice(0, -3)), f);
  }
  t.true(names.has("shared/rom"));
});

test("the check catches names that do not mirror the layout (the bug a real SDK build showed)", (t) => {
  t.is(resolveByName("core/node", "../../shared/rom.js"), null);
  t.is(resolveByName("firmware/core/node", "../../shared/rom.js"), "shared/rom");
  t.is(resolveByName("firmware/adapters/platform", "../core/writer.js"), "firmware/core/writer");
  const old = new Map<string, string>([
    ["core/record", join(FIRMWARE, "core/record.ts")],
    ["shared/rom", join(FIRMWARE, "../shared/rom.ts")],
  ]);
  t.true(unresolved(old).some((l) => l.includes('"../../shared/rom.js" → (above the root)')));
});

test("preload patterns name listed modules", (t) => {
  for (const m of manifests) {
    for (const p of m.preload ?? []) {
      const prefix = p.endsWith("*") ? p.slice(0, -1) : p;
      t.true([...names.keys()].some((n) => (p.endsWith("*") ? n.startsWith(prefix) : n === p)), p);
    }
  }
});
