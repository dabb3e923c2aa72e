// The systemd units of the daily run: a oneshot service (secrets from an EnvironmentFile, never
// in the unit) and a timer at the house file's schedule in the site's time zone. Pure: the
// command writes what these functions return.

export interface UnitOptions {
  user: boolean;
  /** Absolute path of node. */
  node: string;
  /** Absolute path of bin/floorbalance.js. */
  bin: string;
  /** Absolute path of the house file. */
  config: string;
  /** systemd OnCalendar expression (house.analysis.schedule). */
  schedule: string;
  timezone: string;
  environmentFile: string;
  workingDirectory: string;
  name?: string;
  /** System units: run as this existing user; without it, a transient user (DynamicUser=yes). */
  runAs?: string;
}

/** Quote an argument for ExecStart= (systemd's own quoting: double quotes, backslash escapes). */
export function quoteArg(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg.replace(/%/g, "%%");
  return `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%")}"`;
}

/** The calendar expression in the site's zone unless it names one already (systemd ≥ 235 reads "… Europe/Berlin"). */
export function onCalendar(schedule: string, timezone: string): string {
  const last = schedule.trim().split(/\s+/).pop() ?? "";
  const hasZone = /^(UTC|[A-Z][A-Za-z_]+\/[A-Za-z_/+-]+)$/.test(last);
  return hasZone || !timezone ? schedule.trim() : `${schedule.trim()} ${timezone}`;
}

export function serviceUnit(o: UnitOptions): string {
  const exec = [o.node, o.bin, "analyse", "--config", o.config].map(quoteArg).join(" ");
  return `# Written by \`floorbalance systemd install\`. Secrets live in the EnvironmentFile
# (FLOORBALANCE_DISCORD_WEBHOOK=…, FLOORBALANCE_INFLUX_PASSWORD=…), never in this unit.
[Unit]
Description=floorbalance: daily underfloor-heating balance report
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
EnvironmentFile=-${o.environmentFile}
# The outbox, the engine's memory and the calibration live under the state directory
# (%S/floorbalance: ~/.local/state for user units, /var/lib for system units).
Environment=XDG_STATE_HOME=%S
${o.user ? "" : systemIdentity(o.runAs)}WorkingDirectory=${quoteArg(o.workingDirectory)}
ExecStart=${exec}
TimeoutStartSec=15min
NoNewPrivileges=yes
`;
}

/**
 * Never root: a transient user that owns only /var/lib/floorbalance (StateDirectory=, kept across
 * runs), or a named user. EnvironmentFile= is read by systemd before it drops privileges, so the
 * secrets file stays root-only (0600). The house file, node and the package must be readable by
 * the service's user (systemd install warns when they are not).
 */
function systemIdentity(runAs: string | undefined): string {
  const who = runAs ? `User=${runAs}\n` : "DynamicUser=yes\n";
  return `${who}StateDirectory=floorbalance\nStateDirectoryMode=0700\nUMask=0077\nProtectSystem=strict\nProtectHome=read-only\nPrivateTmp=yes\n`;
}

export function timerUnit(o: UnitOptions): string {
  const name = o.name ?? "floorbalance";
  return `# Written by \`floorbalance systemd install\`. Persistent: a run missed while the machine was
# off happens at the next boot; the outbox makes sure the day's report still goes out once.
[Unit]
Description=floorbalance: daily balance report at ${o.schedule}

[Timer]
OnCalendar=${onCalendar(o.schedule, o.timezone)}
Persistent=true
AccuracySec=1min
Unit=${name}.service

[Install]
WantedBy=timers.target
`;
}
