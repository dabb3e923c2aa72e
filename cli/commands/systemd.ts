// floorbalance systemd install [--user] [--dir DIR]: write the daily service and timer.

import type { Command } from "commander";
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { serviceUnit, timerUnit, type UnitOptions } from "../../analyser/delivery/systemd-units.js";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { configOption, loadHouse } from "../options.js";

export const UNIT_NAME = "floorbalance";

export interface SystemdFlags {
  config?: string;
  user?: boolean;
  dir?: string;
  envFile?: string;
  runAs?: string;
}

/** What goes into a new env file: every secret the daily run may need, commented out. */
export const ENV_TEMPLATE = `# floorbalance secrets for the systemd service (mode 600). One FLOORBALANCE_NAME=value per line.
# Remove the # in front of a line and put the value after the =.
#FLOORBALANCE_DISCORD_WEBHOOK=https://discord.com/api/webhooks/<id>/<token>
#FLOORBALANCE_INFLUX_USERNAME=
#FLOORBALANCE_INFLUX_PASSWORD=
`;

/**
 * Create the env file's folder (0700) and a template (0600) when missing, so the next step (put
 * the webhook in it) works as the README says. An existing file is left as it is.
 */
export function ensureEnvFile(file: string): "created" | "exists" {
  if (existsSync(file)) return "exists";
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileAtomic(file, ENV_TEMPLATE, { mode: 0o600 });
  chmodSync(file, 0o600);
  return "created";
}

/** The first folder on the way to `path` that other users cannot enter, or the file they cannot read. */
export function closedToOthers(path: string): string | undefined {
  const parts = resolve(path).split("/").filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = "/" + parts.slice(0, i).join("/");
    let mode: number;
    try {
      mode = statSync(p).mode;
    } catch {
      return undefined;
    }
    const need = i === parts.length ? 0o004 : 0o001;
    if ((mode & need) === 0) return p;
  }
  return undefined;
}

export function unitOptions(flags: { user?: boolean; envFile?: string; runAs?: string }, config: string, schedule: string, timezone: string): UnitOptions {
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
    runAs: user ? undefined : flags.runAs,
  };
}

export function register(program: Command): void {
  const systemd = program.command("systemd").description("run floorbalance analyse daily with systemd");
  configOption(
    systemd
      .command("install")
      .description("write floorbalance.service (Type=oneshot) and floorbalance.timer (OnCalendar from the house file), and the secrets file template")
      .option("--user", "user units (~/.config/systemd/user) instead of system units (/etc/systemd/system)")
      .option("--dir <dir>", "write the units here instead")
      .option("--env-file <file>", "EnvironmentFile with the FLOORBALANCE_* secrets")
      .option("--run-as <user>", "system units: run as this existing user instead of a transient one (DynamicUser=yes)"),
  ).action((flags: SystemdFlags) => {
    const { house, file } = loadHouse(flags);
    const de = house.site.language === "de";
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
        de ? `kann die Units nicht nach ${dir} schreiben (${code ?? (err as Error).message})` : `cannot write the units to ${dir} (${code ?? (err as Error).message})`,
        EXIT.usage,
        code === "EACCES" ? (de ? "für System-Units mit sudo ausführen, oder --user angeben" : "run with sudo for system units, or add --user") : de ? "mit --dir ein beschreibbares Verzeichnis wählen" : "pick a writable directory with --dir",
      );
    }
    const ctl = flags.user ? "systemctl --user" : "sudo systemctl";
    const env = o.environmentFile.replace("%h", homedir());
    // The env file is made where this command may write it: always for --user, for system units
    // when they go to /etc (run with sudo) or --env-file names it.
    let envState: "created" | "exists" | "skipped" = "skipped";
    if (flags.user || !flags.dir || flags.envFile) {
      try {
        envState = ensureEnvFile(env);
      } catch (err) {
        throw new UserError(
          de ? `kann ${env} nicht anlegen (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` : `cannot create ${env} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
          EXIT.usage,
          de ? "mit sudo ausführen oder --env-file angeben" : "run with sudo, or name another file with --env-file",
        );
      }
    }
    const warnings: string[] = [];
    if (!flags.user && !flags.runAs) {
      for (const path of [o.node, o.bin, o.config]) {
        const closed = closedToOthers(path);
        if (closed)
          warnings.push(
            de
              ? `Warnung: der Dienst läuft als eigener Benutzer (DynamicUser=yes) und kann ${closed} nicht lesen (für ${path}); Paket und Hausdatei z. B. nach /opt bzw. /etc/floorbalance legen, oder --run-as BENUTZER angeben`
              : `warning: the service runs as a transient user (DynamicUser=yes) and cannot read ${closed} (for ${path}); put the package and the house file where others may read them (e.g. /opt, /etc/floorbalance), or add --run-as USER`,
          );
      }
    }
    const secretsLine =
      envState === "created"
        ? de
          ? `Geheimnisse: ${env} angelegt (Modus 600); FLOORBALANCE_DISCORD_WEBHOOK=… darin eintragen`
          : `secrets: created ${env} (mode 600); put FLOORBALANCE_DISCORD_WEBHOOK=… in it`
        : envState === "exists"
          ? de
            ? `Geheimnisse: ${env}`
            : `secrets: ${env}`
          : de
            ? `die Geheimnisse in ${env} ablegen (chmod 600), eine Zeile FLOORBALANCE_NAME=Wert je Geheimnis, z. B. FLOORBALANCE_DISCORD_WEBHOOK=…`
            : `put the secrets into ${env} (chmod 600), one FLOORBALANCE_NAME=value per line, e.g. FLOORBALANCE_DISCORD_WEBHOOK=…`;
    for (const w of warnings) process.stderr.write(`floorbalance: ${w}\n`);
    process.stdout.write(
      [
        de
          ? `${join(dir, `${UNIT_NAME}.service`)} und ${join(dir, `${UNIT_NAME}.timer`)} geschrieben (täglich um ${house.analysis.schedule}, ${house.site.timezone})`
          : `wrote ${join(dir, `${UNIT_NAME}.service`)} and ${join(dir, `${UNIT_NAME}.timer`)} (daily at ${house.analysis.schedule}, ${house.site.timezone})`,
        secretsLine,
        de ? "dann den Timer einschalten:" : "then enable the timer:",
        `  ${ctl} daemon-reload`,
        `  ${ctl} enable --now ${UNIT_NAME}.timer`,
        `  ${ctl} list-timers ${UNIT_NAME}.timer     # ${de ? "nächster Lauf" : "next run"}`,
        `  ${ctl} start ${UNIT_NAME}.service         # ${de ? "ein Lauf sofort" : "one run now"}; journalctl ${flags.user ? "--user " : ""}-u ${UNIT_NAME} ${de ? "zeigt ihn" : "shows it"}`,
        ...(flags.user ? [`  loginctl enable-linger $USER              # ${de ? "läuft auch ohne Anmeldung" : "run even when you are not logged in"}`] : []),
        "",
      ].join("\n"),
    );
  });
}
