import test from "ava";
import fc from "fast-check";
import { renderDiscord, splitText, markLate, embedChars } from "../../analyser/report/discord.js";
import { violations } from "../helpers/discord-standin.js";
import { bigHouse, exampleHouse, fixture } from "./fixtures.js";

const allText = (msgs: ReturnType<typeof renderDiscord>) =>
  msgs.flatMap((m) => m.embeds.flatMap((e) => [e.title ?? "", e.description ?? "", ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])).join("\n");

test("the example house fits one message, within every limit, in German", (t) => {
  const house = exampleHouse("de");
  const { analysis, engine } = fixture(house, { lockshield: true, warnings: true });
  const msgs = renderDiscord(house, analysis, engine, { chartFile: "chart.png" });
  t.is(msgs.length, 1);
  t.deepEqual(violations(msgs[0], 1), []);
  const text = allText(msgs);
  t.regex(text, /Größte Abweichung \d,\d K/);
  t.regex(text, /\d,\d → \d,\d l\/min/);
  t.regex(text, /[¼½¾] Umdrehung (öffnen|schließen)/);
  t.regex(text, /Unbekannter Fühler 28-0316a2aaaaaa/);
  t.is(msgs[0].embeds[0].image?.url, "attachment://chart.png");
  t.deepEqual(msgs[0].attachments, [{ id: 0, filename: "chart.png" }]);
  for (const c of house.circuits) t.true(text.includes(`(${c.id})`), c.id);
});

test("English report uses a decimal point and English words", (t) => {
  const house = exampleHouse("en");
  const { analysis, engine } = fixture(house, { balanced: true });
  const text = allText(renderDiscord(house, analysis, engine));
  t.regex(text, /Balanced: largest deviation \d\.\d K/);
  t.regex(text, /Keep the heating curve/);
  t.regex(text, /nothing to do/);
  t.notRegex(text, /\d,\d K/);
});

test("a large house with over-long names is split across messages, every limit kept, nothing cut", (t) => {
  const house = bigHouse(40, 300);
  const { analysis, engine } = fixture(house, { warnings: true });
  const msgs = renderDiscord(house, analysis, engine, { chartFile: "chart.png" });
  t.true(msgs.length > 1);
  msgs.forEach((m, i) => t.deepEqual(violations(m, i === 0 ? 1 : 0), [], `message ${i}`));
  const text = allText(msgs).replace(/\s+/g, "");
  for (const c of house.circuits) t.true(text.includes(c.room.replace(/\s+/g, "")), `full room name of ${c.id}`);
  t.is(msgs[0].content, `(1/${msgs.length})`);
});

test("a huge warning list becomes several embeds instead of being cut", (t) => {
  const house = exampleHouse("en");
  const { analysis, engine } = fixture(house);
  analysis.warnings = Array.from({ length: 400 }, (_, i) => `warning number ${i} ` + "y".repeat(40));
  const msgs = renderDiscord(house, analysis, engine);
  msgs.forEach((m) => t.deepEqual(violations(m, 0), []));
  const text = allText(msgs);
  for (let i = 0; i < 400; i++) t.true(text.includes(`warning number ${i} `));
});

test("splitText keeps every character but the separators it cut at, and respects the limit", (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 3000, unit: "grapheme" }), fc.integer({ min: 2, max: 300 }), (s, max) => {
      const pieces = splitText(s, max);
      for (const p of pieces) if (p.length > max) return false;
      return pieces.join("").replace(/[\s]/g, "") === s.replace(/[\s]/g, "");
    }),
  );
  t.pass();
});

test("markLate puts the late note first and keeps the part counter", (t) => {
  const out = markLate([{ content: "(1/2)", embeds: [] }, { content: "(2/2)", embeds: [] }], "⏰ late");
  t.is(out[0].content, "⏰ late (1/2)");
  t.is(out[1].content, "(2/2)");
  t.is(embedChars({ title: "ab", fields: [{ name: "c", value: "de" }], footer: { text: "f" } }), 6);
});
