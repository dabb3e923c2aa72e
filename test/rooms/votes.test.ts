import test from "ava";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadVotes, pruneVotes, saveVotes, votesPathFor } from "../../analyser/rooms/votes-file.js";
import { DEFAULT_VOTE_OPTIONS, latestVotes, targetShifts, VOTE_WORDS, type Vote } from "../../analyser/rooms/votes.js";
import { UserError } from "../../shared/errors.js";

const D = 86400;
const t0 = 1_767_225_600;

test("a vote moves the target by a step; repeats within a day are one complaint; ok stops the shift", (t) => {
  const votes: Vote[] = [
    { room: "Bad", vote: "too-cold", time: t0 },
    { room: "Bad", vote: "too-cold", time: t0 + 3600 }, // said again an hour later: the room had no time to change
    { room: "Bad", vote: "too-cold", time: t0 + 2 * D },
    { room: "Schlafen", vote: "too-warm", time: t0 },
  ];
  const s = targetShifts(votes, t0 + 2 * D);
  t.is(s.get("Bad")!.counted, 2);
  t.true(s.get("Bad")!.shift_k > 0.95 && s.get("Bad")!.shift_k <= 1, String(s.get("Bad")!.shift_k));
  t.true(s.get("Schlafen")!.shift_k < 0);
  t.false(s.has("Küche"));
  const ok = targetShifts([...votes, { room: "Bad", vote: "ok", time: t0 + 3 * D }], t0 + 3 * D);
  t.is(ok.get("Bad")!.shift_k, targetShifts(votes, t0 + 3 * D).get("Bad")!.shift_k, "ok neither adds nor removes");
});

test("the shift decays with its half-life and never exceeds its limit", (t) => {
  const one = [{ room: "Bad", vote: "too-cold" as const, time: t0 }];
  const later = targetShifts(one, t0 + DEFAULT_VOTE_OPTIONS.half_life_h * 3600).get("Bad")!.shift_k;
  t.is(later, 0.25);
  const many = Array.from({ length: 20 }, (_, i) => ({ room: "Bad", vote: "too-cold" as const, time: t0 + i * 2 * D }));
  t.true(targetShifts(many, t0 + 40 * D).get("Bad")!.shift_k <= DEFAULT_VOTE_OPTIONS.max_k);
  t.is(targetShifts(one, t0 - 1).size, 0, "a vote from the future does not count yet");
});

test("German and English words, and the latest vote per room", (t) => {
  t.is(VOTE_WORDS["zu-kalt"], "too-cold");
  t.is(VOTE_WORDS["zu-warm"], "too-warm");
  t.is(VOTE_WORDS["too-warm"], "too-warm");
  t.is(VOTE_WORDS.ok, "ok");
  const l = latestVotes([{ room: "Bad", vote: "too-cold", time: 1 }, { room: "Bad", vote: "ok", time: 2 }], 5);
  t.is(l.get("Bad")!.vote, "ok");
});

test("the votes file sits beside the house file, round-trips, and a damaged one is refused, never emptied", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-votes-"));
  const house = join(dir, "house.yaml");
  const file = votesPathFor(house);
  t.is(file, join(dir, "house.comfort.json"));
  t.deepEqual(loadVotes(file), []);
  const votes: Vote[] = [{ room: "Bad", vote: "too-cold", time: t0 + 5 }, { room: "Wohnen/Essen", vote: "ok", time: t0 }];
  saveVotes(file, votes);
  t.deepEqual(loadVotes(file), [votes[1], votes[0]]);
  t.is(statSync(file).mode & 0o777, 0o644);
  writeFileSync(file, '{"version":1,"votes":[{"room":"Bad","vote":"chilly","time":5}]}');
  const e = t.throws(() => loadVotes(file), { instanceOf: UserError });
  t.regex(e!.message, /votes\.0\.vote/);
  t.regex(readFileSync(file, "utf8"), /chilly/, "left as it was");
  writeFileSync(file, "{");
  t.throws(() => loadVotes(file), { instanceOf: UserError, message: /not valid JSON/ });
  t.is(pruneVotes(votes, t0 + 400 * D).length, 0);
});
