// floorbalance systemd install [--user] [--dir DIR]: write the daily service and timer.

import type { Command } from "commander";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { serviceUnit, timerUnit, type UnitOptions } from "../../analyser/delivery/systemd-units.js";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { configOption, loadHouse } from "../options.js";

export const UNIT_NAME = "floorbalance";

export function unitOptions(flags: { user?: boolean; envFile?: string }, config: string, schedule: string, timezone: string): UnitOptions {
  const bin = fileURLToPath(new URL("../../bin/floorbalance.js", import.meta.url));
  const user = !!flags.user;
  return {
    user,
    node: process.execPath,
    bin,
    config: resolve(config),
    schedule,
    timezone,
    environmentFile: flags.envFile ? resolve(flags.envFile) : user ? "%h/.config/floorbalance/floorbalance.env" : "/etc/floorbalance/floorbalance.env",
    workingDirectory: dirname(resolve(config)),
    name: UNIT_NAME,
  };
}

export function register(program: Command): void {
  const systemd = program.command("systemd").description("run floorbalance analyse daily with systemd");
  configOption(
    systemd
      .command("install")
      .description("write floorbalance.service (Type=oneshot) and floorbalance.timer (OnCalendar from the house file)")
      .option("--user", "user units (~/.config/systemd/user) instead of system units (/etc/systemd/system)")
      .option("--dir <dir>", "write the units here instead")
      .option("--env-file <file>", "EnvironmentFile with the FLOORBALANCE_* secrets"),
  ).action((flags: { config?: string; user?: boolean; dir?: string; envFile?: string }) => {
    const { house, file } = loadHouse(flags);
    const dir = flags.dir ?? (flags.user ? join(homedir(), ".config", "systemd", "user") : "/etc/systemd/system");
    const o = unitOptions(flags, file, house.analysis.schedule, house.site.timezone);
    try {
      mkdirSync(dir, { recursive: true });
      for (const [name, text] of [[`${UNIT_NAME}.service`, serviceUnit(o)], [`${UNIT_NAME}.timer`, timerUnit(o)]]) {
        writeFileAtomic(join(dir, name), text);
        chmodSync(join(dir, name), 0o644); // units hold no secrets; the usual mode
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(
        `cannot write the units to ${dir} (${code ?? (err as Error).message})`,
        EXIT.usage,
        code === "EACCES" ? "run with sudo for system units, or add --user" : "pick a writable directory with --dir",
      );
    }
    const ctl = flags.user ? "systemctl --user" : "sudo systemctl";
    const env = o.environmentFile.replace("%h", homedir());
    process.stdout.write(
      [
        `wrote ${join(dir, `${UNIT_NAME}.service`)} and ${join(dir, `${UNIT_NAME}.timer`)} (daily at ${house.analysis.schedule}, ${house.site.timezone})`,
        existsSync(env) ? `secrets: ${env}` : `put the secrets into ${env} (chmod 600), one FLOORBALANCE_NAME=value per line, e.g. FLOORBALANCE_DISCORD_WEBHOOK=…`,
        "then enable the timer:",
        `  ${ctl} daemon-reload`,
        `  ${ctl} enable --now ${UNIT_NAME}.timer`,
        `  ${ctl} list-timers ${UNIT_NAME}.timer     # next run`,
        `  ${ctl} start ${UNIT_NAME}.service         # one run now; journalctl ${flags.user ? "--user " : ""}-u ${UNIT_NAME} shows it`,
        ...(flags.user ? ["  loginctl enable-linger $USER              # run even when you are not logged in"] : []),
        "",
      ].join("\n"),
    );
  });
}
