// The OTA client against a stand-in device on 127.0.0.1 running the real update state machine:
// success with version confirmation, refusal, a drop mid-way, a rolled-back image; and the
// CLI's `firmware ota` end to end (outcome printed, token never).
import test from "ava";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { confirmUpdate, getStatus, progressBar, uploadImage } from "../../firmware/host/ota-client.js";
import { fakeImage, sha256 } from "./helpers/fake-flash.js";
import { StandInDevice } from "./helpers/stand-in-device.js";
import { runCli } from "./helpers/cli.js";

const TOKEN = "ota-token-for-tests-8a7f";
const IMAGE = fakeImage(300 * 1024, 11);

async function device(t: import("ava").ExecutionContext, extra: Partial<ConstructorParameters<typeof StandInDevice>[0]> = {}) {
  const d = new StandInDevice({ node: "hkv-eg-sued", token: TOKEN, firmware: "0.1.0", ...extra });
  const port = await d.listen();
  t.teardown(() => d.close());
  return { d, target: { host: "127.0.0.1", port } };
}

const fast = { pollMs: 50, timeoutMs: 5000 };

test("success: the image is uploaded with progress, verified, and the node confirms the new version after its restart", async (t) => {
  const { d, target } = await device(t);
  const progress: number[] = [];
  const result = await uploadImage(target, IMAGE, { token: TOKEN, sha256: sha256(IMAGE), version: "0.2.0", onProgress: (sent) => progress.push(sent) });
  t.true(result.ok, result.message);
  t.is(result.status, 200);
  t.is(result.reason, "installed");
  t.is(progress.at(-1), IMAGE.byteLength);
  t.true(progress.length > 5 && progress.every((v, i) => i === 0 || v > progress[i - 1]!), "progress rises to the total");
  t.deepEqual(d.flash.bootImage, IMAGE);
  const confirmation = await confirmUpdate(target, { expected: "0.2.0", previous: "0.1.0", installedAt: Date.now(), ...fast });
  t.true(confirmation.ok, confirmation.message);
  t.is(confirmation.firmware, "0.2.0");
  t.is(confirmation.via, "status");
  t.is((await getStatus(target)).firmware, "0.2.0");
});

test("refusal: a wrong token is answered 401, nothing is written, the node keeps its version", async (t) => {
  const { d, target } = await device(t);
  const result = await uploadImage(target, IMAGE, { token: "not-the-token", sha256: sha256(IMAGE) });
  t.false(result.ok);
  t.is(result.status, 401);
  t.is(result.reason, "unauthorized");
  t.is(d.flash.opened, 0);
  t.is(d.firmware, "0.1.0");
  t.false(JSON.stringify(result).includes(TOKEN));
});

test("refusal: an image announced with the wrong hash is received, rejected, not installed", async (t) => {
  const { d, target } = await device(t);
  const result = await uploadImage(target, IMAGE, { token: TOKEN, sha256: sha256(fakeImage(10, 1)) });
  t.is(result.status, 422);
  t.is(result.reason, "hash_mismatch");
  t.is(d.flash.boot, 0);
});

test("a drop mid-way is reported as such, nothing is retried, and the old image keeps running", async (t) => {
  const { d, target } = await device(t, { dropAfterBytes: 100 * 1024 });
  const result = await uploadImage(target, IMAGE, { token: TOKEN, sha256: sha256(IMAGE) });
  t.false(result.ok);
  t.is(result.reason, "dropped");
  t.is(d.uploads, 1, "no blind retry");
  await new Promise((r) => setTimeout(r, 50));
  t.deepEqual(d.log, ["aborted truncated"]);
  t.is(d.flash.boot, 0);
  const status = await getStatus(target);
  t.is(status.firmware, "0.1.0");
  t.false(status.ota?.busy, "the device is free for the next attempt");
});

test("version confirmation fails when the node comes back on its previous image (rolled back)", async (t) => {
  const { target } = await device(t, { newImageCrashes: true });
  const result = await uploadImage(target, IMAGE, { token: TOKEN, sha256: sha256(IMAGE), version: "0.2.0" });
  t.true(result.ok);
  const confirmation = await confirmUpdate(target, { expected: "0.2.0", previous: "0.1.0", installedAt: Date.now(), ...fast });
  t.false(confirmation.ok);
  t.is(confirmation.firmware, "0.1.0");
  t.regex(confirmation.message, /rolled back/);
});

test("an unreachable node is reported, and InfluxDB's node_health is the fallback witness", async (t) => {
  const result = await uploadImage({ host: "127.0.0.1", port: 9 }, IMAGE, { token: TOKEN, sha256: sha256(IMAGE) });
  t.is(result.reason, "unreachable");
  const confirmation = await confirmUpdate({ host: "127.0.0.1", port: 9 }, { expected: "0.2.0", installedAt: Date.now(), pollMs: 20, timeoutMs: 100, fromInflux: async () => "0.2.0" });
  t.true(confirmation.ok);
  t.is(confirmation.via, "influx");
});

test("progress bar", (t) => {
  t.is(progressBar(512 * 1024, 1024 * 1024, 10), "[#####-----]  50%  512/1024 KiB");
  t.is(progressBar(0, 0, 4), "[####] 100%  0/0 KiB");
});

const cli = runCli;

function imageDir(node: string, firmware: string, image: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "fb-ota-"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "xs_esp32.bin"), image);
  writeFileSync(join(dir, "image.json"), JSON.stringify({ node, firmware, bytes: image.byteLength, sha256: sha256(image) }));
  return join(dir, "xs_esp32.bin");
}

const baseEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, FLOORBALANCE_OTA_TOKEN: TOKEN });

test("cli: `firmware ota` uploads, confirms and reports; the token appears nowhere in its output", async (t) => {
  const { d, target } = await device(t);
  const image = imageDir("hkv-eg-sued", "0.2.0", IMAGE);
  const r = await cli(["firmware", "ota", "--node", "hkv-eg-sued", "--config", "examples/house.yaml", "--image", image, "--host", `127.0.0.1:${target.port}`, "--confirm-timeout", "10"], baseEnv());
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /hkv-eg-sued: updated 0\.1\.0 → 0\.2\.0 \(confirmed via \/status\)/);
  t.is(d.firmware, "0.2.0");
  t.false((r.stdout + r.stderr).includes(TOKEN));
});

test("cli: a refused update exits with deviceFailed, says why and that the old image still runs", async (t) => {
  const { target } = await device(t);
  const image = imageDir("hkv-eg-sued", "0.2.0", IMAGE);
  const r = await cli(["firmware", "ota", "--node", "hkv-eg-sued", "--config", "examples/house.yaml", "--image", image, "--host", `127.0.0.1:${target.port}`], { ...baseEnv(), FLOORBALANCE_OTA_TOKEN: "wrong-token-123" });
  t.is(r.code, 9);
  t.regex(r.stderr, /401 unauthorized/);
  t.regex(r.stderr, /still runs 0\.1\.0/);
  t.regex(r.stderr, /how to fix: the ota_token/);
  t.false(r.stderr.includes("wrong-token-123"));
  t.notRegex(r.stderr, /\n\s+at /, "no stack trace");
});

test("cli: an image built for another node, or a device that is another node, is never uploaded", async (t) => {
  const { d, target } = await device(t);
  const foreign = imageDir("hkv-eg-nord", "0.2.0", IMAGE);
  let r = await cli(["firmware", "ota", "--node", "hkv-eg-sued", "--config", "examples/house.yaml", "--image", foreign, "--host", `127.0.0.1:${target.port}`], baseEnv());
  t.is(r.code, 2);
  t.regex(r.stderr, /built for node hkv-eg-nord/);
  const nord = imageDir("hkv-eg-nord", "0.2.0", IMAGE);
  r = await cli(["firmware", "ota", "--node", "hkv-eg-nord", "--config", "examples/house.yaml", "--image", nord, "--host", `127.0.0.1:${target.port}`], baseEnv());
  t.is(r.code, 9);
  t.regex(r.stderr, /is node hkv-eg-sued, not hkv-eg-nord/);
  t.is(d.uploads, 0);
});

test("cli: --all goes node by node and stops at the first failure, naming the nodes it did not touch", async (t) => {
  const work = mkdtempSync(join(tmpdir(), "fb-ota-all-"));
  // Every node at localhost:80, where nothing listens: the first one fails its pre-flight check.
  const house = readFileSync(new URL("../../examples/house.yaml", import.meta.url), "utf8").replace(/hostname: \S+/g, "hostname: localhost");
  writeFileSync(join(work, "house.yaml"), house);
  const bin = join(work, ".floorbalance", "build", "hkv-eg-sued", "out", "bin", "esp32", "release", "hkv-eg-sued");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "xs_esp32.bin"), IMAGE);
  const r = await cli(["firmware", "ota", "--all", "--config", join(work, "house.yaml")], baseEnv(), work);
  t.is(r.code, 9, r.stderr);
  t.regex(r.stderr, /\[1\/4\] hkv-eg-sued/);
  t.regex(r.stderr, /cannot reach hkv-eg-sued at localhost:80/);
  t.regex(r.stderr, /stopped before hkv-eg-nord, hkv-og-west, hkv-og-ost/);
  t.notRegex(r.stderr, /\[2\/4\]/, "the second node is never tried");
});
