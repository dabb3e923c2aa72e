// Placeholder until its issue lands: says so honestly and exits non-zero.
import type { Command } from "commander";
import { UserError } from "../../shared/errors.js";

export function register(program: Command): void {
  program
    .command("sensors")
    .description("(not yet available)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UserError("'floorbalance sensors' is not yet available in this version");
    });
}
