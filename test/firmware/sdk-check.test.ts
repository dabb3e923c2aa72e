// The pure parts of the no-ESP-IDF check (firmware/host/import-check.ts, sdk-check.ts): how an
// import names a module as XS resolves it, and which log lines are errors worth showing.
import test from "ava";
import { importsOf, moduleNameOf } from "../../firmware/host/import-check.js";
import { errorLines } from "../../firmware/host/sdk-check.js";

test("imports resolve against the importing module's name, drop .js, and map embedded: as mcconfig names it", (t) => {
  t.is(moduleNameOf("firmware/core/node", "../../shared/rom.js"), "shared/rom");
  t.is(moduleNameOf("firmware/adapters/platform", "../core/writer.js"), "firmware/core/writer");
  t.is(moduleNameOf("firmware/adapters/network", "wifi"), "wifi");
  t.is(moduleNameOf("firmware/adapters/network", "embedded:network/interface/wifi"), "~.embedded/network/interface/wifi");
});

test("import specifiers come from import, export-from and import(), not from comments", (t) => {
  const js = `/* import X from "gone"; */\n// import Y from "gone2";\nimport OTA from "ota";\nimport { a, b } from "./x.js";\nexport * from "../y.js";\nconst m = import("lazy");\n`;
  t.deepEqual(importsOf(js), ["ota", "./x.js", "../y.js", "lazy"]);
});

test("error lines keep each TypeScript error with its continuation once, and make's failures", (t) => {
  const log = [
    "# tsc onewire.ts",
    "onewire.ts(19,27): error TS2769: No overload matches this call.",
    "  The last overload gave the following error.",
    "onewire.ts(19,27): error TS2769: No overload matches this call.",
    "  The last overload gave the following error.",
    "# xsc firmware/core/buffer.xsb",
    "make: *** [makefile:1311: onewire.js] Error 1",
  ].join("\n");
  t.deepEqual(errorLines(log), ["onewire.ts(19,27): error TS2769: No overload matches this call.\n  The last overload gave the following error.", "make: *** [makefile:1311: onewire.js] Error 1"]);
});
