import type { Command } from "commander";
import { writeFileSync } from "node:fs";
import { houseJsonSchema } from "../../shared/house/json-schema.js";

export function register(program: Command): void {
  program
    .command("schema")
    .description("print the house file's JSON Schema (for editors with YAML language support)")
    .option("-o, --out <file>", "write it to a file instead of stdout")
    .action((opts: { out?: string }) => {
      const text = JSON.stringify(houseJsonSchema(), null, 2) + "\n";
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });
}
