// Just enough types for the two untyped packages the XS tests use.
declare module "@agoric/xsnap" {
  export interface XsnapWorker {
    import(path: string): Promise<unknown>;
    evaluate(code: string): Promise<{ reply: Uint8Array; meterUsage: { currentHeapCount: number | null; allocate: number | null; compute: number | null } }>;
    close(): Promise<void>;
  }
  export function xsnap(options: Record<string, unknown>): Promise<XsnapWorker>;
}
declare module "tmp" {
  export function tmpName(cb: (err: Error | null, name: string) => void): void;
  const tmp: { tmpName: typeof tmpName };
  export default tmp;
}
