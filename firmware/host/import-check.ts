// Every import of every project module names a module in the build. xsl links whatever it is
// given and does not check this; on a device a missing module stops the boot with "module not
// found". Pure over the makefile mcconfig generated and a file reader, so tests can hand it any
// build. Specifiers resolve as XS resolves them: a relative one against the importing module's
// NAME ("../../shared/rom.js" from firmware/core/node is shared/rom), ".js" dropped, and
// "prefix:rest" as mcconfig names it on disk ("embedded:x/y" is "~.embedded/x/y").
// TypeScript modules are read from tsc's output, where type-only imports are gone.

import { posix } from "node:path";

export interface ImportCheck {
  /** Project modules whose compiled JavaScript was read. */
  files: number;
  /** Import specifiers found in them. */
  specifiers: number;
  /** "module: import "x" -> module "y" is not in the build", one per miss. */
  unresolved: string[];
  /** Project modules with no compiled JavaScript (their compile failed). */
  unchecked: string[];
}

const IMPORT_RE =
  /(?:^|[;}\n])\s*(?:import\s*(?:[\w$*{}\s,]+?\s*from\s*)?|export\s*(?:\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*)["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const under = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith("/") ? dir : dir + "/");

/** What XS looks up for `specifier` imported by the module named `from`. */
export function moduleNameOf(from: string, specifier: string): string {
  let target = specifier.startsWith(".") ? posix.normalize(posix.join(posix.dirname(from), specifier)) : specifier;
  target = target.replace(/\.js$/, "");
  const colon = target.indexOf(":");
  return colon > 0 ? `~.${target.slice(0, colon)}/${target.slice(colon + 1)}` : target;
}

/** The import specifiers of compiled JavaScript (comments removed first). */
export function importsOf(js: string): string[] {
  const src = js.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...src.matchAll(IMPORT_RE)].map((m) => (m[1] ?? m[2])!);
}

/**
 * Check the project's modules of an mcconfig makefile. A project module is one whose source lies
 * outside `moddable` and outside the build's TMP_DIR (mc/config and the like are generated).
 */
export function checkImports(makefile: string, moddable: string, read: (path: string) => string | undefined): ImportCheck {
  const vars: Record<string, string> = {};
  for (const m of makefile.matchAll(/^([A-Z_]+) = (\S.*)$/gm)) vars[m[1]!] ??= m[2]!.trim();
  const expand = (s: string) => s.replace(/\$\((\w+)\)/g, (all, v: string) => vars[v] ?? all);

  const list = /^MODULES =\\\n((?:\t.*\n)+)/m.exec(makefile);
  if (!list) throw new Error("no MODULES list in the makefile");
  const names = new Set([...list[1]!.matchAll(/\$\(MODULES_DIR\)\/(.+)\.xsb\\?$/gm)].map((m) => m[1]!));

  const tmp = expand("$(TMP_DIR)");
  const project: { name: string; js: string }[] = [];
  for (const m of makefile.matchAll(/^\$\(MODULES_DIR\)\/(.+)\.xsb: (\S+)$/gm)) {
    const js = expand(m[2]!);
    let source = js;
    if (under(js, tmp + "/tsc")) {
      // tsc's output: the rule that makes it names the TypeScript source.
      const rule = new RegExp(`^${escapeRe(m[2]!)} : (\\S+)`, "m").exec(makefile);
      source = rule ? expand(rule[1]!) : js;
    }
    if (under(source, moddable) || under(source, tmp)) continue;
    if (!/\.(js|mjs|ts|mts)$/.test(source)) continue; // data modules import nothing
    project.push({ name: m[1]!, js });
  }

  const result: ImportCheck = { files: 0, specifiers: 0, unresolved: [], unchecked: [] };
  for (const { name, js } of project.sort((a, b) => a.name.localeCompare(b.name))) {
    const text = read(js);
    if (text === undefined) {
      result.unchecked.push(name);
      continue;
    }
    result.files++;
    for (const spec of importsOf(text)) {
      result.specifiers++;
      const target = moduleNameOf(name, spec);
      if (!names.has(target)) result.unresolved.push(`${name}: import "${spec}" -> module "${target}" is not in the build`);
    }
  }
  return result;
}
