// Secrets: never in the house file, the repo, logs or reports. They come from the environment
// (FLOORBALANCE_*) or from a git-ignored secrets.yaml beside the house file (or the file named
// by FLOORBALANCE_SECRETS). The environment wins.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { EXIT } from "./exit-codes.js";
import { UserError } from "./errors.js";

export const SECRET_NAMES = ["influx_username", "influx_password", "wifi_ssid", "wifi_password", "ota_token", "discord_webhook"] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
export type Secrets = Partial<Record<SecretName, string>>;

export function envName(name: SecretName): string {
  return "FLOORBALANCE_" + name.toUpperCase();
}

export function secretsFilePath(houseFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOORBALANCE_SECRETS) return env.FLOORBALANCE_SECRETS;
  return join(houseFile ? dirname(houseFile) : process.cwd(), "secrets.yaml");
}

export function loadSecrets(houseFile?: string, env: NodeJS.ProcessEnv = process.env): Secrets {
  const out: Secrets = {};
  const file = secretsFilePath(houseFile, env);
  if (existsSync(file)) {
    let data: unknown;
    try {
      data = parse(readFileSync(file, "utf8"));
    } catch {
      // Do not echo the file: it is full of secrets.
      throw new UserError(`the secrets file ${file} is not valid YAML`, EXIT.usage, "write it as `name: value` lines, e.g. influx_password: …");
    }
    if (data && typeof data === "object") {
      for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
        if (!(SECRET_NAMES as readonly string[]).includes(key)) {
          throw new UserError(`the secrets file ${file} has an unknown key "${key}"`, EXIT.usage, `known keys: ${SECRET_NAMES.join(", ")}`);
        }
        if (value !== null && value !== undefined) out[key as SecretName] = String(value);
      }
    }
  }
  for (const name of SECRET_NAMES) {
    const value = env[envName(name)];
    if (value !== undefined && value !== "") out[name] = value;
  }
  return out;
}

export function requireSecret(secrets: Secrets, name: SecretName, purpose: string): string {
  const value = secrets[name];
  if (!value) {
    throw new UserError(
      `the secret ${name} is missing; it is needed ${purpose}`,
      EXIT.missingSecret,
      `set ${envName(name)} in the environment, or add "${name}: …" to secrets.yaml beside the house file (git-ignored)`,
    );
  }
  return value;
}

/** Replace every secret value (and any URL credentials) in a text, for logs and error messages. */
export function redact(text: string, secrets: Secrets): string {
  let out = text;
  for (const name of SECRET_NAMES) {
    const value = secrets[name];
    if (value && value.length >= 3) out = out.split(value).join(`[${name}]`);
  }
  // Discord webhook tokens and URL userinfo, even when not among the known secrets.
  out = out.replace(/(discord(?:app)?\.com\/api\/webhooks\/\d+\/)[\w-]+/gi, "$1[token]");
  out = out.replace(/(\/\/)[^\s/:@]+:[^\s/@]+@/g, "$1[credentials]@");
  return out;
}
