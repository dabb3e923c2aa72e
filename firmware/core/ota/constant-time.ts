// Token comparison whose running time does not depend on how much of a guess is right, so
// nobody on the home network can recover the OTA token byte by byte from response times.
// The loop runs over the candidate's own length: its time reveals only what the caller sent.
// Portable: no Node or Moddable imports.

export function equalConstantTime(candidate: string, secret: string): boolean {
  if (secret.length === 0) return false; // an unset token never matches anything, not even ""
  let diff = candidate.length ^ secret.length;
  for (let i = 0; i < candidate.length; i++) {
    diff |= candidate.charCodeAt(i) ^ secret.charCodeAt(i % secret.length);
  }
  return diff === 0;
}

/** The token out of an `Authorization: Bearer …` header, or "" when the header has another form. */
export function bearerToken(authorization: string | undefined): string {
  if (!authorization) return "";
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1]! : "";
}
