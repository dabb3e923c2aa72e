// InfluxQL quoting, shared by every statement the analyser and its setup build.

/** An InfluxQL identifier, double-quoted and escaped. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** An InfluxQL string literal, single-quoted and escaped. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
