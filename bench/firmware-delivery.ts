// npm run bench:ota — firmware delivery figures: the update state machine's throughput (with
// node:crypto SHA-256 standing in for the device's crypt Digest), and a full PUT /ota of a
// release-sized image to the stand-in device on 127.0.0.1, with version confirmation.
import { performance } from "node:perf_hooks";
import { OTA_SLOT_SIZE } from "../firmware/core/partitions.js";
import { UpdateEndpoint } from "../firmware/core/ota/update-session.js";
import { confirmUpdate, uploadImage } from "../firmware/host/ota-client.js";
import { FakeFlash, fakeImage, nodeDigest, sha256 } from "../test/firmware-delivery/helpers/fake-flash.js";
import { StandInDevice } from "../test/firmware-delivery/helpers/stand-in-device.js";

const IMAGE_BYTES = 1_200_000; // a release Moddable build of this firmware is about this size
const image = fakeImage(IMAGE_BYTES, 42);
const hash = sha256(image);
const mb = IMAGE_BYTES / 1e6;

// 1. State machine alone, body in TCP-segment-sized chunks (1460 B), as lwIP hands them over.
{
  const runs = 20;
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    const flash = new FakeFlash(OTA_SLOT_SIZE, fakeImage(16));
    const endpoint = new UpdateEndpoint({ token: "bench-token", openSlot: flash.openSlot, createDigest: nodeDigest, now: () => 0 });
    const s = endpoint.open({ authorization: "Bearer bench-token", contentLength: String(IMAGE_BYTES), sha256: hash });
    if (s.kind === "refused") throw new Error(s.message);
    for (let i = 0; i < IMAGE_BYTES; i += 1460) s.write(image.subarray(i, i + 1460), 0);
    if (s.finish().kind !== "installed") throw new Error("not installed");
  }
  const ms = (performance.now() - t0) / runs;
  console.log(`update session (Node, SHA-256 + fake flash): ${ms.toFixed(1)} ms per ${mb} MB image = ${(mb / (ms / 1000)).toFixed(0)} MB/s`);
}

// 2. End to end on loopback: upload, restart, confirmation.
{
  const device = new StandInDevice({ node: "bench", token: "bench-token", firmware: "1.0.0", restartMs: 100 });
  const port = await device.listen();
  const target = { host: "127.0.0.1", port };
  const t0 = performance.now();
  const result = await uploadImage(target, image, { token: "bench-token", sha256: hash, version: "1.1.0" });
  const t1 = performance.now();
  const confirmation = await confirmUpdate(target, { expected: "1.1.0", installedAt: Date.now(), timeoutMs: 10_000, pollMs: 50 });
  const t2 = performance.now();
  await device.close();
  console.log(`PUT /ota on loopback: ${result.reason} in ${(t1 - t0).toFixed(0)} ms (${(mb / ((t1 - t0) / 1000)).toFixed(1)} MB/s); confirmed ${confirmation.firmware} after ${(t2 - t1).toFixed(0)} ms (100 ms simulated restart, 50 ms polls)`);
}

console.log(`OTA slot: ${OTA_SLOT_SIZE} bytes; a ${mb} MB image leaves ${(((OTA_SLOT_SIZE - IMAGE_BYTES) / OTA_SLOT_SIZE) * 100).toFixed(0)} % headroom`);
