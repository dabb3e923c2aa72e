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
    cmd.action((opts: { config?: string }) => void (seen = opts.config));
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
