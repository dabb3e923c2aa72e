// The imperative shell: parse the command line, run one command, turn failures into a clear
// message and an exit code. Each command lives in its own file under cli/commands/.

import { Command, CommanderError } from "commander";
import { EXIT } from "../shared/exit-codes.js";
import { UserError } from "../shared/errors.js";
import { formatIssue, HouseFileError } from "../shared/house/index.js";
import { loadSecrets, redact } from "../shared/secrets.js";
import { loadCommands } from "./commands/index.js";

export const VERSION = "0.1.0";

/** The command line; with `argv`, only the modules that command needs are loaded. */
export async function program(argv: readonly string[] = []): Promise<Command> {
  const cmd = new Command("floorbalance")
    .description("Balance an underfloor-heating system from return temperatures.")
    .version(VERSION)
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  for (const command of await loadCommands(argv)) command.register(cmd);
  return cmd;
}

/** Run the CLI; returns the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  try {
    await (await program(argv)).parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed its message (help, version, or a usage error).
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof HouseFileError) {
    for (const issue of err.issues) process.stderr.write(formatIssue(err.file, issue) + "\n");
    const errors = err.issues.filter((i) => i.severity === "error").length;
    process.stderr.write(`${err.file}: ${errors} error${errors === 1 ? "" : "s"}; fix ${errors === 1 ? "it" : "them"} and run floorbalance check again.\n`);
    return EXIT.usage;
  }
  const secrets = safeSecrets();
  if (err instanceof UserError) {
    process.stderr.write(`floorbalance: ${redact(err.message, secrets)}\n`);
    if (err.hint) process.stderr.write(`  how to fix: ${redact(err.hint, secrets)}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`floorbalance: internal error: ${redact(message, secrets)}\n`);
  if (process.env.FLOORBALANCE_DEBUG && err instanceof Error && err.stack) process.stderr.write(redact(err.stack, secrets) + "\n");
  else process.stderr.write("  this is a bug; run again with FLOORBALANCE_DEBUG=1 for details and report it\n");
  return EXIT.internal;
}

function safeSecrets() {
  try {
    return loadSecrets();
  } catch {
    return {};
  }
}
