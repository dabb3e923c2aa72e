// floorbalance grafana [--out DIR]: write the Grafana dashboard for this house (queries by ROM,
// series named by room) and the provisioning files for the data source and the dashboard.

import type { Command } from "commander";
import { chmodSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../../shared/errors.js";
import { dashboard, dashboardProvisioning, datasourceProvisioning } from "../../analyser/report/grafana.js";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { configOption, loadHouse } from "../options.js";
import { loadSecrets, SECRET_NAMES } from "../../shared/secrets.js";

export function register(program: Command): void {
  configOption(
    program
      .command("grafana")
      .description("write a Grafana dashboard (JSON) and provisioning files generated from the house file")
      .option("--out <dir>", "output directory", "deploy/grafana")
      .option("--dashboards-path <dir>", "where Grafana will find the dashboard JSON", "/var/lib/grafana/dashboards/floorbalance"),
  ).action((flags: { config?: string; out: string; dashboardsPath: string }) => {
    const { house, file: houseFile } = loadHouse(flags);
    const secrets = loadSecrets(houseFile);
    // The files reference credentials through Grafana's \${VAR}; should one ever hold a secret
    // value, it is written for its owner only.
    const holdsSecret = (text: string) => SECRET_NAMES.some((n) => (secrets[n]?.length ?? 0) >= 3 && text.includes(secrets[n]!));
    const out = resolve(flags.out);
    const files: [string, string][] = [
      [join(out, "floorbalance-dashboard.json"), JSON.stringify(dashboard(house), null, 2) + "\n"],
      [join(out, "provisioning", "datasources", "floorbalance.yaml"), datasourceProvisioning(house)],
      [join(out, "provisioning", "dashboards", "floorbalance.yaml"), dashboardProvisioning(flags.dashboardsPath)],
    ];
    try {
      for (const [file, text] of files) {
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileAtomic(file, text);
        chmodSync(file, holdsSecret(text) ? 0o600 : 0o644); // Grafana runs as its own user and must read these
      }
    } catch (err) {
      throw new UserError(`cannot write to ${out} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, undefined, "pick a writable directory with --out");
    }
    const de = house.site.language === "de";
    process.stdout.write(
      files.map(([f]) => (de ? `geschrieben: ${f}` : `wrote ${f}`)).join("\n") +
        (de
          ? `\ndas Dashboard-JSON nach ${flags.dashboardsPath} und die beiden Provisioning-Dateien nach /etc/grafana/provisioning/ kopieren, FLOORBALANCE_INFLUX_USERNAME und FLOORBALANCE_INFLUX_PASSWORD für Grafana setzen, dann Grafana neu starten\n`
          : `\ncopy the dashboard JSON to ${flags.dashboardsPath} and the two provisioning files into /etc/grafana/provisioning/, set FLOORBALANCE_INFLUX_USERNAME and FLOORBALANCE_INFLUX_PASSWORD for Grafana, then restart Grafana\n`),
    );
  });
}
