// Writing an edited house file back. Every tool that edits it (identify, apply) goes through
// here, so the user's layout survives: lineWidth 0 keeps one-line flow maps such as
// `valve: { kind: flow-meter, … }` on one line instead of re-wrapping them at 80 columns.

import type { Document } from "yaml";

export function stringifyHouse(doc: Document): string {
  return doc.toString({ lineWidth: 0 });
}
