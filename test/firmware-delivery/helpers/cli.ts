// Run the real `floorbalance` command in a child process, with exactly the environment given
// (plus a secrets file that does not exist, so a developer's own secrets never leak in).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "floorbalance.js"), ...args], { env: { FLOORBALANCE_SECRETS: "/nonexistent/secrets.yaml", ...env }, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
