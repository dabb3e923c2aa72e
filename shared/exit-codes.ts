// Exit codes of the floorbalance command, one meaning each, so a systemd unit or a script can
// tell "nothing to do" from "could not look".
export const EXIT = Object.freeze({
  /** Done. For `analyse`: a report was produced (with or without recommendations). */
  ok: 0,
  /** A bug: an unexpected exception. */
  internal: 1,
  /** Bad input: the house file, a flag, a file to read. Fix the input and run again. */
  usage: 2,
  /** InfluxDB could not be reached (connection refused, timeout, DNS). */
  influxUnreachable: 3,
  /** InfluxDB answered, but the database does not exist. */
  influxNoDatabase: 4,
  /** InfluxDB refused the credentials (401/403). */
  influxAuth: 5,
  /** The report could not be delivered; it is kept in the outbox and sent on the next run. */
  deliveryFailed: 6,
  /** A required secret is missing. */
  missingSecret: 7,
  /** An external tool (Moddable SDK, ESP-IDF, serial port, device) is missing or failed. */
  toolMissing: 8,
  /** A device refused or failed an operation (OTA). */
  deviceFailed: 9,
  /** `verify` found probable mapping mistakes. */
  verifyFindings: 10,
  /**
   * `analyse`: no data to judge: every node silent, or the database (or file) holds nothing for
   * the window. The short report that says so was still produced and sent.
   */
  noData: 11,
});
