// The broadcasts a room thermometer sends, as bytes: the inverse of firmware/core/ble. The twin's
// BLE thermometers and the virtual node's tests use these to feed the firmware's real parser.

export type BroadcastFormat = "bthome" | "pvvx" | "atc";

export interface Broadcast {
  /** The thermometer's MAC, a4:c1:38:12:34:56. */
  mac: string;
  celsius: number;
  humidity: number;
  battery: number;
  counter: number;
}

function macBytes(mac: string): number[] {
  return mac.split(":").map((h) => parseInt(h, 16));
}

function le16(v: number): number[] {
  const u = v < 0 ? v + 0x10000 : v;
  return [u & 0xff, (u >> 8) & 0xff];
}

/** One AD structure of 16-bit service data: length, 0x16, UUID (little-endian), data. */
function serviceData(uuid: number, data: number[]): number[] {
  return [data.length + 3, 0x16, uuid & 0xff, (uuid >> 8) & 0xff, ...data];
}

/** The whole advertisement payload (flags first, as the thermometers send it). */
export function encodeAdvertisement(format: BroadcastFormat, b: Broadcast): Uint8Array {
  const flags = [0x02, 0x01, 0x06];
  let sd: number[];
  if (format === "bthome") {
    // device info 0x40 (v2, unencrypted), packet id, battery, temperature 0.01, humidity 0.01
    sd = serviceData(0xfcd2, [0x40, 0x00, b.counter & 0xff, 0x01, b.battery, 0x02, ...le16(Math.round(b.celsius * 100)), 0x03, ...le16(Math.round(b.humidity * 100))]);
  } else if (format === "pvvx") {
    sd = serviceData(0x181a, [...macBytes(b.mac).reverse(), ...le16(Math.round(b.celsius * 100)), ...le16(Math.round(b.humidity * 100)), ...le16(3000), b.battery, b.counter & 0xff, 0]);
  } else {
    const t = Math.round(b.celsius * 10);
    const tu = t < 0 ? t + 0x10000 : t;
    sd = serviceData(0x181a, [...macBytes(b.mac), (tu >> 8) & 0xff, tu & 0xff, Math.round(b.humidity), b.battery, 0x0b, 0xb8, b.counter & 0xff]);
  }
  return Uint8Array.from([...flags, ...sd]);
}
