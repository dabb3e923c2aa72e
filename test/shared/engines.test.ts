// package.json's `engines` promises only Node versions every direct dependency (dev tools
// included) declares it supports. A tiny reader for the range forms dependencies use (^, >=, ||).
import test from "ava";
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

type V = [number, number, number];
const parse = (s: string): V => {
  const [a = 0, b = 0, c = 0] = s.replace(/^v/, "").split(".").map(Number);
  return [a, b, c];
};
const cmp = (x: V, y: V) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split("||").some((alt) =>
    alt
      .trim()
      .replace(/(>=|<=|>|<|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .every((c) => {
        const m = /^(>=|<=|>|<|\^|~)?v?(\d+(?:\.\d+){0,2})(?:\.x)?$/.exec(c);
        if (!m) throw new Error(`cannot read range part ${c}`);
        const w = parse(m[2]!);
        switch (m[1]) {
          case ">=": return cmp(v, w) >= 0;
          case ">": return cmp(v, w) > 0;
          case "<": return cmp(v, w) < 0;
          case "<=": return cmp(v, w) <= 0;
          case "^": return v[0] === w[0] && cmp(v, w) >= 0;
          case "~": return v[0] === w[0] && v[1] === w[1] && cmp(v, w) >= 0;
          default: return m[2]!.split(".").length === 3 ? cmp(v, w) === 0 : v[0] === w[0] && (m[2]!.split(".").length === 1 || v[1] === w[1]);
        }
      }),
  );
}

/** The lowest version of each alternative of our range. */
function floors(range: string): string[] {
  return range.split("||").map((alt) => alt.trim().replace(/^(\^|>=|~)\s*/, "")).map((v) => parse(v).join("."));
}

test("engines.node: every lowest version we promise is one every dependency supports", (t) => {
  const ours: string = pkg.engines.node;
  const deps = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];
  const wrong: string[] = [];
  for (const floor of floors(ours)) {
    for (const dep of deps) {
      const theirs = JSON.parse(readFileSync(new URL(`node_modules/${dep}/package.json`, root), "utf8")).engines?.node as string | undefined;
      if (theirs && !satisfies(floor, theirs)) wrong.push(`${dep} (${theirs}) does not support node ${floor}`);
    }
  }
  t.deepEqual(wrong, []);
  t.true(satisfies("20.19.0", "^20.19 || ^22.20 || ^24.12 || >=25"));
  t.false(satisfies("20.0.0", "^20.19 || ^22.20 || ^24.12 || >=25"));
});
