// floorbalance influx setup: make InfluxDB keep the analyser's per-minute rollup (continuous
// queries + a backfill of existing history; analyser/sources/rollup.ts says why). Safe to re-run,
// e.g. after adding or replacing a sensor.
import type { Command } from "commander";
import { setupRollup } from "../../analyser/sources/rollup-setup.js";
import { RESAMPLE_FOR } from "../../analyser/sources/rollup.js";
import { loadSecrets, redact } from "../../shared/secrets.js";
import { UserError } from "../../shared/errors.js";
import { configOption, configPath, loadHouse } from "../options.js";
import { count } from "../../analyser/report/i18n.js";

const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export function register(program: Command): void {
  const influx = program.command("influx").description("InfluxDB housekeeping for the analyser");
  configOption(
    influx
      .command("setup")
      .description("create the database if missing, the continuous queries that keep the per-minute rollup the analysis reads, and backfill it from existing history (idempotent)")
      .option("--no-backfill", "only create the continuous queries; older minutes are then read from the raw data"),
  ).action(async (opts: { config?: string; backfill: boolean }) => {
    const { house, file } = loadHouse(opts);
    const secrets = loadSecrets(file ?? configPath(opts));
    const tty = process.stderr.isTTY;
    let report;
    try {
      report = await setupRollup(house, secrets, {
        backfill: opts.backfill,
        onProgress: tty ? (done, total) => process.stderr.write(`\rbackfilling the rollup: ${done}/${total} days${done === total ? "\n" : ""}`) : undefined,
      });
    } catch (err) {
      if (err instanceof UserError) err.message = redact(err.message, secrets);
      throw err;
    }
    const lang = house.site.language;
    const out =
      lang === "de"
        ? [
            `InfluxDB ${house.influx.url}, Datenbank "${report.database}"${report.createdDatabase ? " (angelegt)" : ""}:`,
            `  ${count(report.roms.length, lang)} Continuous Queries halten "${report.measurement}" aktuell (ein Feld je Fühler, Minutenmittel, neu berechnet über die letzten ${RESAMPLE_FOR})${report.replaced.length ? `; ${count(report.replaced.length, lang)} mit älterer Definition ersetzt` : ""}`,
            report.backfill
              ? `  nachgetragen ${day(report.backfill.start)} … ${day(report.backfill.end)}: ${count(report.backfill.points, lang)} Fühler-Minuten`
              : `  nichts nachgetragen${opts.backfill ? " (noch keine Messwerte)" : " (--no-backfill)"}`,
            "  InfluxDB führt Continuous Queries nur mit [continuous_queries] enabled = true aus (die Voreinstellung).",
          ]
        : [
            `InfluxDB ${house.influx.url}, database "${report.database}"${report.createdDatabase ? " (created)" : ""}:`,
            `  ${count(report.roms.length, lang)} continuous queries keep "${report.measurement}" (one field per sensor, per-minute means, recomputed over the last ${RESAMPLE_FOR})${report.replaced.length ? `; ${count(report.replaced.length, lang)} with an older definition replaced` : ""}`,
            report.backfill
              ? `  backfilled ${day(report.backfill.start)} … ${day(report.backfill.end)}: ${count(report.backfill.points, lang)} sensor-minutes`
              : `  no backfill${opts.backfill ? " (no readings yet)" : " (--no-backfill)"}`,
            "  InfluxDB runs continuous queries only with [continuous_queries] enabled = true (its default).",
          ];
    process.stdout.write(out.join("\n") + "\n");
  });
}
