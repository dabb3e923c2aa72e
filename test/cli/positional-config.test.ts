// `floorbalance check house.yaml`: every command that takes --config also takes the house file
// as its one positional argument (ESPHome users type `esphome config house.yaml`).
import test from "ava";
import type { Command } from "commander";
import { program } from "../../cli/main.js";

function leaves(cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  if (cmd.commands.length === 0) return [{ path, cmd }];
  return cmd.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

test("every command with --config accepts the house file as a positional argument", async (t) => {
  const root = await program();
  const withConfig = leaves(root).filter((l) => l.cmd.options.some((o) => o.long === "--config"));
  t.true(withConfig.length >= 15, withConfig.map((l) => l.path.join(" ")).join(", "));
  for (const { path, cmd } of withConfig) {
    let seen: string | undefined;
    // The options come second to last, after the command's own arguments (comfort ROOM VOTE).
    cmd.action((...args: unknown[]) => void (seen = (args[args.length - 2] as { config?: string }).config));
    cmd.exitOverride();
    const required = cmd.options.filter((o) => o.mandatory).flatMap((o) => [o.long!, "x"]);
    await root.parseAsync(["node", "floorbalance", ...path, "/x/house.yaml", ...required]);
    t.is(seen, "/x/house.yaml", path.join(" "));
  }
});

test("two house files, or a second argument, are refused", async (t) => {
  const root = await program();
  const check = root.commands.find((c) => c.name() === "check")!;
  check.action(() => {});
  check.exitOverride().configureOutput({ writeErr: () => {} });
  await t.throwsAsync(root.parseAsync(["node", "floorbalance", "check", "a.yaml", "b.yaml"]), { message: /too many arguments/ });
  await t.throwsAsync(root.parseAsync(["node", "floorbalance", "check", "a.yaml", "-c", "b.yaml"]), { message: /two house files/ });
});

test("a command's own arguments come first; the house file may follow them", async (t) => {
  const root = await program();
  const comfort = root.commands.find((c) => c.name() === "comfort")!;
  let got: unknown[] = [];
  comfort.action((...args: unknown[]) => void (got = args));
  comfort.exitOverride().configureOutput({ writeErr: () => {} });
  await root.parseAsync(["node", "floorbalance", "comfort", "Bad", "zu-kalt", "/x/house.yaml"]);
  t.deepEqual([got[0], got[1], (got[2] as { config?: string }).config], ["Bad", "zu-kalt", "/x/house.yaml"]);
  await root.parseAsync(["node", "floorbalance", "comfort", "Bad", "zu-kalt"]);
  t.deepEqual([got[0], got[1], (got[2] as { config?: string }).config], ["Bad", "zu-kalt", undefined]);
});
