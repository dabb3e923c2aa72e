// floorbalance comfort <room> too-cold|ok|too-warm (zu-kalt|ok|zu-warm): the person's own word,
// recorded with its time in the votes file beside the house file. Without a vote, it lists each
// room's votes and the target shift they give.
import type { Command } from "commander";
import { nowFrom, nowOption } from "../../commissioning/options.js";
import { loadVotes, pruneVotes, saveVotes, votesPathFor } from "../../analyser/rooms/votes-file.js";
import { targetShifts, VOTE_WORDS } from "../../analyser/rooms/votes.js";
import { nearMatches } from "../../analyser/rooms/signals.js";
import { UserError } from "../../shared/errors.js";
import type { House } from "../../shared/house/index.js";
import { configOption, configPath, loadHouse } from "../options.js";

export function register(program: Command): void {
  configOption(
    program
      .command("comfort")
      .description("say how a room feels: floorbalance comfort <room> too-cold|ok|too-warm (zu-kalt|ok|zu-warm); without a vote, list the votes and the target shifts they give")
      .argument("[room]", "room name as in the house file (circuits' room field)")
      .argument("[vote]", "too-cold | ok | too-warm (or zu-kalt | ok | zu-warm)")
      .option("--votes <file>", "the votes file (default: beside the house file, <house>.comfort.json)")
      .addOption(nowOption()),
  ).action((room: string | undefined, word: string | undefined, opts) => {
    const { house } = loadHouse(opts, true);
    const de = house.site.language === "de";
    const T = (en: string, deText: string) => (de ? deText : en);
    const file = opts.votes ?? votesPathFor(configPath(opts));
    const now = nowFrom(opts);
    const votes = loadVotes(file);
    if (room === undefined) {
      const shifts = targetShifts(votes, now);
      if (shifts.size === 0) process.stdout.write(T("No comfort votes yet.\n", "Noch keine Rückmeldungen zum Raumgefühl.\n"));
      for (const s of shifts.values()) {
        const sign = s.shift_k > 0 ? "+" : "";
        process.stdout.write(T(`${s.room}: ${s.counted} vote(s), last "${s.last?.vote}"; target shift ${sign}${s.shift_k.toFixed(2)} K\n`, `${s.room}: ${s.counted} Rückmeldung(en), zuletzt „${wordDe(s.last?.vote)}“; Zielverschiebung ${sign}${s.shift_k.toFixed(2)} K\n`));
      }
      return;
    }
    const rooms = roomNames(house);
    const known = rooms.find((r) => r === room) ?? rooms.find((r) => r.toLowerCase() === room.toLowerCase());
    if (!known) {
      const near = nearMatches(room, rooms);
      throw new UserError(
        T(`no room "${room}" in the house file`, `kein Raum „${room}“ in der Hausdatei`),
        2,
        near.length ? T(`did you mean ${near.map((n) => `"${n}"`).join(", ")}?`, `gemeint vielleicht ${near.map((n) => `„${n}“`).join(", ")}?`) : T(`rooms: ${rooms.join(", ")}`, `Räume: ${rooms.join(", ")}`),
      );
    }
    const vote = word === undefined ? undefined : VOTE_WORDS[word.toLowerCase()];
    if (!vote) throw new UserError(T(`say how ${known} feels: too-cold, ok or too-warm`, `sag, wie sich ${known} anfühlt: zu-kalt, ok oder zu-warm`), 2);
    const next = pruneVotes([...votes, { room: known, vote, time: now }], now);
    saveVotes(file, next);
    const shift = targetShifts(next, now).get(known)?.shift_k ?? 0;
    const target = house.rooms.find((r) => r.name === known)?.target_c;
    const aim = target === undefined ? "" : T(`; aiming at ${(target + shift).toFixed(1)} °C when a thermometer measures it`, `; Ziel ${(target + shift).toFixed(1)} °C, sobald ein Thermometer misst`);
    process.stdout.write(T(`noted: ${known} ${vote} (target shift ${shift >= 0 ? "+" : ""}${shift.toFixed(2)} K${aim})\n`, `notiert: ${known} ${wordDe(vote)} (Zielverschiebung ${shift >= 0 ? "+" : ""}${shift.toFixed(2)} K${aim})\n`));
  });
}

/** Every room the house knows: the rooms list and the circuits' room fields. */
function roomNames(house: House): string[] {
  return [...new Set([...house.rooms.map((r) => r.name), ...house.circuits.map((c) => c.room)])];
}

function wordDe(vote: string | undefined): string {
  return vote === "too-cold" ? "zu kalt" : vote === "too-warm" ? "zu warm" : vote === "ok" ? "passt" : "?";
}
