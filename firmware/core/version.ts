// The firmware version every node reports in node_health and GET /status.
export const FIRMWARE_VERSION = "0.1.0";
