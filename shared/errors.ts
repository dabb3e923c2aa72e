// Errors meant for people. The CLI shell prints `message` (and `hint`) and exits with
// `exitCode`; it never prints a stack trace for these.

import { EXIT } from "./exit-codes.js";

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}
