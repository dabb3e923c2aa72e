// The terminal report: the composed report laid out as a readable table (monospace).

import type { House } from "../../shared/house/index.js";
import type { AnalysisResult } from "../measurement/result.js";
import type { EngineResult } from "../engine/result.js";
import { composeReport, type Report } from "./compose.js";
import { words } from "./i18n.js";

/** Width as a terminal shows it: code points, not UTF-16 units (°, →, ½ are one column each). */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, n: number): string {
  return s + " ".repeat(Math.max(0, n - width(s)));
}

export function table(header: string[], rows: string[][], indent = "  "): string[] {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) => (indent + cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join("  ")).trimEnd();
  return [line(header), indent + widths.map((n) => "─".repeat(n)).join("  "), ...rows.map(line)];
}

const MARK = { change: "▶", ok: " ", wait: "…", problem: "!" } as const;

export function layoutTerminal(report: Report): string {
  const w = words(report.language);
  const out: string[] = [report.title, "═".repeat(width(report.title)), report.headline, report.today, ""];
  for (const s of report.sections) {
    out.push(`${s.name}`);
    out.push(
      ...table(
        ["", w.roomCol, w.circuitCol, w.todoCol, `ΔT / ${w.target}`, w.flow],
        s.lines.map((l) => [MARK[l.kind], l.room, l.circuit, l.todo, l.spreadShort, l.flow]),
      ),
    );
    out.push("");
  }
  if (report.curve) out.push(`${w.curveTitle}: ${report.curve}`, "");
  if (report.policy) out.push(`${w.policyTitle} ${report.policy}`, "");
  if (report.dhw && report.dhw.length > 0) out.push(...report.dhw, "");
  if (report.warnings.length > 0) {
    out.push(w.warningsTitle);
    for (const x of report.warnings) out.push(`  • ${x}`);
    out.push("");
  }
  out.push(report.footer);
  return out.join("\n") + "\n";
}

export function renderTerminal(house: House, analysis: AnalysisResult, engine: EngineResult): string {
  return layoutTerminal(composeReport(house, analysis, engine));
}
