// What a user meets in the house file's messages: a likely key for a misspelt one, a DS18S20
// accepted only with a warning, and one path notation for warnings and errors.
import test from "ava";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HouseFileError, parseHouseText } from "../../shared/house/index.js";
import { makeRom, romToCanonical } from "../../shared/rom.js";
import { runCli } from "../report/cli.js";

const EXAMPLE = readFileSync("examples/house.yaml", "utf8");

function messages(text: string): string[] {
  try {
    parseHouseText(text, "house.yaml");
  } catch (err) {
    if (err instanceof HouseFileError) return err.issues.map((i) => i.message);
    throw err;
  }
  return [];
}

test("an unknown key gets a `did you mean` for the key allowed there", (t) => {
  const once = (from: RegExp, to: string) => messages(EXAMPLE.replace(from, to));
  t.true(once(/area_m2:/, "area:").some((m) => m === 'unknown key "area"; did you mean `area_m2`?'));
  t.true(once(/area_m2:/, "aera_m2:").some((m) => m === 'unknown key "aera_m2"; did you mean `area_m2`?'));
  t.true(once(/area_m2:/, "colour:").some((m) => /unknown key "colour": check the spelling/.test(m)));
});

test("a DS18S20 (family 10) is accepted with a warning about its resolution", (t) => {
  const s20 = romToCanonical(makeRom(0x0316a2795f77, 0x10));
  t.regex(s20, /^10-/);
  const { warnings } = parseHouseText(EXAMPLE.replace("28-0316a2795f77", s20));
  t.is(warnings.length, 1);
  t.regex(warnings[0]!.message, /DS18S20 \(family 10\): it measures in 0\.5 K steps/);
});

test.serial("warnings print in the same notation as errors: file:line:col and circuits[3].x", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-hints-"));
  const file = join(dir, "house.yaml");
  writeFileSync(file, EXAMPLE.replace("28-0316a2795f77", romToCanonical(makeRom(0x0316a2795f77, 0x10))));
  const r = await runCli(["check", file]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, new RegExp(`^${file.replace(/[.]/g, "\\.")}:\\d+:\\d+ warning: manifolds\\[0\\]\\.supply: ROM 10-`, "m"));
  t.notRegex(r.stderr, /manifolds\.0\./);
});
