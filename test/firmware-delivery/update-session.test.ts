// The update state machine against a fake flash: only a complete, verified image from the
// token holder ever changes the boot partition.
import test from "ava";
import fc from "fast-check";
import { UpdateEndpoint, outcomeBody, type Outcome, type Refusal, type UpdateSession } from "../../firmware/core/ota/update-session.js";
import { bearerToken, equalConstantTime } from "../../firmware/core/ota/constant-time.js";
import { FakeFlash, fakeImage, nodeDigest, sha256 } from "./helpers/fake-flash.js";

const TOKEN = "s3cret-ota-token-4711";
const RUNNING = fakeImage(4096, 99);

function rig(opts: { capacity?: number; token?: string } = {}) {
  let clock = 1_000_000;
  const flash = new FakeFlash(opts.capacity ?? 64 * 1024, RUNNING);
  const endpoint = new UpdateEndpoint({ token: opts.token ?? TOKEN, openSlot: flash.openSlot, createDigest: nodeDigest, now: () => clock });
  const advance = (ms: number) => (clock += ms);
  return { flash, endpoint, advance, now: () => clock };
}

function headers(image: Uint8Array, over: Partial<Record<"authorization" | "contentLength" | "sha256", string>> = {}) {
  return { authorization: `Bearer ${TOKEN}`, contentLength: String(image.byteLength), sha256: sha256(image), version: "0.2.0", ...over };
}

function session(r: Refusal | UpdateSession): UpdateSession {
  if (!("write" in r)) throw new Error(`expected a session, got ${r.status} ${r.reason}`);
  return r;
}

function send(s: UpdateSession, image: Uint8Array, now: number, chunk = 1000): Outcome | undefined {
  for (let i = 0; i < image.byteLength; i += chunk) {
    const out = s.write(image.subarray(i, i + chunk), now);
    if (out) return out;
  }
  return undefined;
}

function assertBootUnchanged(t: import("ava").ExecutionContext, flash: FakeFlash) {
  t.is(flash.boot, 0);
  t.deepEqual(flash.bootImage, RUNNING);
}

test("a good image from the token holder is verified, then becomes the boot image", (t) => {
  const { flash, endpoint, now } = rig();
  const image = fakeImage(20_000);
  const s = session(endpoint.open(headers(image)));
  t.true(endpoint.busy);
  t.is(send(s, image, now()), undefined);
  const out = s.finish();
  t.is(out.kind, "installed");
  t.is(out.status, 200);
  t.is(flash.boot, 1);
  t.deepEqual(flash.bootImage, image);
  t.false(endpoint.busy);
  t.deepEqual(JSON.parse(outcomeBody(out)), { ok: true, reason: "installed", message: out.message, bytes: 20_000, sha256: sha256(image), version: "0.2.0" });
});

test("a wrong or missing token is refused before the partition is opened", (t) => {
  const { flash, endpoint } = rig();
  const image = fakeImage(2000);
  for (const authorization of ["Bearer wrong-token", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`]) {
    const r = endpoint.open(headers(image, { authorization }));
    t.is(r.kind, "refused");
    t.is((r as Refusal).status, 401, authorization);
  }
  t.is(flash.opened, 0);
  assertBootUnchanged(t, flash);
});

test("the refusal never quotes the token it was sent", (t) => {
  const { endpoint } = rig();
  const r = endpoint.open(headers(fakeImage(100), { authorization: `Bearer ${TOKEN}-guess` })) as Refusal;
  t.false(outcomeBody(r).includes(TOKEN));
});

test("a hash mismatch aborts after the last byte and keeps the old boot image", (t) => {
  const { flash, endpoint, now } = rig();
  const image = fakeImage(10_000);
  const s = session(endpoint.open(headers(image, { sha256: sha256(fakeImage(10_000, 2)) })));
  send(s, image, now());
  const out = s.finish();
  t.is(out.kind, "aborted");
  t.is(out.reason, "hash_mismatch");
  t.is(out.status, 422);
  t.is(flash.cancelled, 1);
  assertBootUnchanged(t, flash);
  // The endpoint is free again for a correct upload.
  t.false(endpoint.busy);
});

test("a truncated upload (body ends early, or the connection drops) keeps the old boot image", (t) => {
  for (const ending of ["finish", "disconnected"] as const) {
    const { flash, endpoint, now } = rig();
    const image = fakeImage(10_000);
    const s = session(endpoint.open(headers(image)));
    send(s, image.subarray(0, 6_000), now());
    const out = ending === "finish" ? s.finish() : s.disconnected();
    t.is(out.reason, "truncated", ending);
    t.is(out.bytes, 6_000);
    assertBootUnchanged(t, flash);
  }
});

test("a body longer than announced is cut off and nothing is installed", (t) => {
  const { flash, endpoint, now } = rig();
  const image = fakeImage(10_000);
  const s = session(endpoint.open(headers(image, { contentLength: "9000", sha256: sha256(image.subarray(0, 9000)) })));
  const out = send(s, image, now());
  t.is(out?.reason, "too_long");
  t.is(s.finish().reason, "too_long");
  assertBootUnchanged(t, flash);
});

test("a second upload while one runs is refused and does not disturb the first", (t) => {
  const { flash, endpoint, now } = rig();
  const first = fakeImage(10_000, 3);
  const s = session(endpoint.open(headers(first)));
  send(s, first.subarray(0, 5_000), now());
  const second = endpoint.open(headers(fakeImage(10_000, 4)));
  t.is(second.kind, "refused");
  t.is((second as Refusal).status, 409);
  t.is((second as Refusal).reason, "busy");
  t.is(flash.opened, 1);
  assertBootUnchanged(t, flash);
  send(s, first.subarray(5_000), now());
  t.is(s.finish().kind, "installed");
  t.deepEqual(flash.bootImage, first);
});

test("an absurd or missing Content-Length is refused before a byte is written", (t) => {
  const image = fakeImage(1000);
  const cases: [string | undefined, number, string][] = [
    ["65537", 413, "too_large"],
    ["99999999999999999999999", 413, "too_large"],
    [undefined, 411, "no_length"],
    ["-5", 411, "no_length"],
    ["12abc", 411, "no_length"],
    ["0", 400, "empty"],
  ];
  for (const [contentLength, status, reason] of cases) {
    const { flash, endpoint } = rig({ capacity: 64 * 1024 }); // fresh, so the rate limit stays out of it
    const r = endpoint.open({ ...headers(image), contentLength }) as Refusal;
    t.is(r.kind, "refused", String(contentLength));
    t.is(r.status, status, String(contentLength));
    t.is(r.reason as string, reason);
    if (status === 413) t.is(flash.cancelled, 1, "the slot is released again");
    if (contentLength && contentLength.length > 10) t.false(r.drain, "an absurd body is not drained: the connection closes");
    assertBootUnchanged(t, flash);
  }
});

test("a missing or malformed SHA-256 header is refused", (t) => {
  const { flash, endpoint } = rig();
  const image = fakeImage(1000);
  for (const sha of ["", "abc", sha256(image).slice(1), "g".repeat(64)]) {
    t.is((endpoint.open(headers(image, { sha256: sha })) as Refusal).reason, "no_hash");
  }
  t.is(flash.opened, 0);
});

test("a client that stalls is abandoned after the stall timeout; the old image keeps booting", (t) => {
  const { flash, endpoint, now, advance } = rig();
  const image = fakeImage(10_000);
  const s = session(endpoint.open(headers(image)));
  send(s, image.subarray(0, 3_000), now());
  advance(endpoint.policy.stallMs - 1);
  t.is(endpoint.tick(), undefined, "still within the timeout");
  advance(2);
  const out = endpoint.tick();
  t.is(out?.reason, "stalled");
  t.is(out?.status, 408);
  t.false(endpoint.busy);
  // Late bytes and a late end change nothing.
  t.is(s.write(image.subarray(3_000), now())?.reason, "stalled");
  t.is(s.finish().reason, "stalled");
  assertBootUnchanged(t, flash);
});

test("a slow but steady client is not mistaken for a stalled one", (t) => {
  const { endpoint, now, advance, flash } = rig();
  const image = fakeImage(10_000);
  const s = session(endpoint.open(headers(image)));
  for (let i = 0; i < image.byteLength; i += 500) {
    advance(endpoint.policy.stallMs - 100);
    t.is(endpoint.tick(), undefined);
    s.write(image.subarray(i, i + 500), now());
  }
  t.is(s.finish().kind, "installed");
  t.is(flash.boot, 1);
});

test("a flash write failure or an image esp_ota_end rejects aborts cleanly", (t) => {
  {
    const { flash, endpoint, now } = rig();
    flash.failWriteAt = 3;
    const image = fakeImage(10_000);
    const s = session(endpoint.open(headers(image)));
    t.is(send(s, image, now())?.reason, "write_failed");
    assertBootUnchanged(t, flash);
  }
  {
    const { flash, endpoint, now } = rig();
    const image = fakeImage(10_000);
    image[0] = 0; // not an ESP32 app: no 0xE9 magic
    const s = session(endpoint.open(headers(image)));
    send(s, image, now());
    t.is(s.finish().reason, "image_invalid");
    assertBootUnchanged(t, flash);
  }
});

test("refusals are rate-limited: after five in a minute even the right token waits", (t) => {
  const { endpoint, advance, flash } = rig();
  const image = fakeImage(1000);
  for (let i = 0; i < 5; i++) t.is((endpoint.open(headers(image, { authorization: `Bearer guess-${i}` })) as Refusal).status, 401);
  const locked = endpoint.open(headers(image)) as Refusal;
  t.is(locked.status, 429);
  t.is(locked.reason, "rate_limited");
  t.true(locked.retryAfterS! > 0 && locked.retryAfterS! <= 60);
  t.is(flash.opened, 0);
  advance(60_001);
  t.not(endpoint.open(headers(image)).kind, "refused");
});

test("while the running image is on probation, updates are refused (esp_ota_begin would refuse them too)", (t) => {
  let pending = true;
  const flash = new FakeFlash(64 * 1024, RUNNING);
  const endpoint = new UpdateEndpoint({ token: TOKEN, openSlot: flash.openSlot, createDigest: nodeDigest, now: () => 0, unconfirmed: () => pending });
  const image = fakeImage(1000);
  const r = endpoint.open(headers(image)) as Refusal;
  t.is(r.status, 503);
  t.is(r.reason, "not_confirmed");
  t.is(flash.opened, 0);
  pending = false;
  t.is(endpoint.open(headers(image)).kind, "session");
});

test("an endpoint built without a token accepts nobody, not even an empty bearer", (t) => {
  const { endpoint, flash } = rig({ token: "" });
  const image = fakeImage(1000);
  for (const authorization of ["Bearer ", "", "Bearer x"]) t.is((endpoint.open(headers(image, { authorization })) as Refusal).status, 403);
  t.is(flash.opened, 0);
});

test("property: whatever the chunking, the boot image changes only for complete, matching bodies", (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 1, max: 2000 }),
      fc.integer({ min: 0, max: 5000 }),
      fc.boolean(),
      (size, chunk, cut, rightHash) => {
        const { flash, endpoint, now } = rig();
        const image = fakeImage(size, size);
        const s = session(endpoint.open(headers(image, rightHash ? {} : { sha256: sha256(Buffer.concat([image, Buffer.from([0])])) })));
        const body = image.subarray(0, Math.min(size, cut));
        send(s, body, now(), chunk);
        const out = s.finish();
        const shouldInstall = rightHash && body.byteLength === size;
        if (out.kind === "installed") return shouldInstall && flash.boot === 1 && Buffer.compare(flash.bootImage, image) === 0;
        return !shouldInstall && flash.boot === 0 && Buffer.compare(flash.bootImage, RUNNING) === 0;
      },
    ),
    { seed: 4711, numRuns: 200 },
  );
  t.pass();
});

test("constant-time compare: equal only for the exact token; bearer parsing", (t) => {
  t.true(equalConstantTime("abc", "abc"));
  t.false(equalConstantTime("abd", "abc"));
  t.false(equalConstantTime("ab", "abc"));
  t.false(equalConstantTime("abcabc", "abc"), "a repetition of the secret is not the secret");
  t.false(equalConstantTime("", ""));
  t.is(bearerToken("Bearer tok"), "tok");
  t.is(bearerToken("bearer  tok "), "tok");
  t.is(bearerToken("Basic tok"), "");
  t.is(bearerToken(undefined), "");
});
