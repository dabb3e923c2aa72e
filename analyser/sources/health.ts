// node_health points → NodeStatus. Counters are cumulative since boot, so the rejections in a
// window are the sum of the increments, restarting the sum when uptime goes backwards (a reboot).

import { REJECTION_REASONS } from "../../shared/measurements.js";
import type { NodeStatus } from "../measurement/result.js";

export interface HealthPoint {
  node: string;
  time: number;
  uptime_s?: number;
  rejected: Partial<Record<string, number>>;
  write_status?: string;
  dropped?: number;
  buffered?: number;
  firmware?: string;
}

export function nodeStatuses(points: HealthPoint[]): NodeStatus[] {
  const byNode = new Map<string, HealthPoint[]>();
  for (const p of points) {
    const list = byNode.get(p.node) ?? [];
    list.push(p);
    byNode.set(p.node, list);
  }
  const out: NodeStatus[] = [];
  for (const [node, list] of [...byNode].sort((a, b) => a[0].localeCompare(b[0]))) {
    list.sort((a, b) => a.time - b.time);
    const rejected: Record<string, number> = {};
    for (const reason of REJECTION_REASONS) rejected[reason] = 0;
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const cur = list[i];
      const rebooted = cur.uptime_s !== undefined && prev.uptime_s !== undefined && cur.uptime_s < prev.uptime_s;
      for (const reason of REJECTION_REASONS) {
        const now = cur.rejected[reason] ?? 0;
        const before = rebooted ? 0 : (prev.rejected[reason] ?? 0);
        if (now > before) rejected[reason] += now - before;
      }
    }
    const last = list[list.length - 1];
    const status: NodeStatus = { node, last_seen: last.time, rejected };
    if (last.write_status !== undefined) status.write_status = last.write_status;
    if (last.dropped !== undefined) status.dropped = last.dropped;
    if (last.buffered !== undefined) status.buffered = last.buffered;
    if (last.firmware !== undefined) status.firmware = last.firmware;
    out.push(status);
  }
  return out;
}
