// The design card's packages: one HTTP client on the Node side (Node's fetch), and no declared
// package that nothing uses (moxy cannot serve our stand-ins: see docs/report.md).
import test from "ava";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((f) => {
    const rel = join(dir, f);
    if (statSync(join(root, rel)).isDirectory()) return sources(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

test("one HTTP client: nothing imports node-fetch, and it is not declared", (t) => {
  const importing = ["analyser", "cli", "commissioning", "shared", "simulator", "firmware/host", "bench", "test"].flatMap(sources).filter((f) => new RegExp(`from "node-${"fetch"}"`).test(readFileSync(join(root, f), "utf8")));
  t.deepEqual(importing, []);
  t.false("node-fetch" in pkg.dependencies);
});

test("every declared runtime and test package is imported somewhere", (t) => {
  const text = ["analyser", "cli", "commissioning", "shared", "simulator", "firmware", "bench", "test", "bin"].flatMap((d) => (d === "bin" ? ["bin/floorbalance.js"] : sources(d))).map((f) => readFileSync(join(root, f), "utf8")).join("\n");
  // Tools used by name, not by import: the compiler, the test runner, the TS loader, the bundler, typings.
  const byName = new Set(["typescript", "ava", "tsx", "esbuild", "@moddable/typings", "@types/luxon", "@types/node"]);
  const unused = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((d) => !byName.has(d) && !text.includes(`"${d}`));
  t.deepEqual(unused, []);
});
