// Wi-Fi that comes back by itself (no reboot on loss), and the clock from SNTP once an address
// is there. Moddable's "wifi" module reports connect/gotIP/lostIP/disconnect.
import WiFi from "wifi";
import SNTP from "sntp";
import Time from "time";
import Timer from "timer";

export interface NetworkOptions {
  ssid: string;
  password: string;
  ntp?: string;
  log(line: string): void;
}

export class Network {
  online = false;
  private wifi: WiFi | undefined;
  private sntpStarted = false;

  constructor(private readonly o: NetworkOptions) {
    this.connect();
  }

  private connect(): void {
    this.wifi = new WiFi({ ssid: this.o.ssid, password: this.o.password }, (message) => {
      if (message === WiFi.gotIP) {
        this.online = true;
        this.o.log(`wifi: connected to ${this.o.ssid}`);
        this.syncClock();
      } else if (message === WiFi.lostIP || message === WiFi.disconnected) {
        if (this.online) this.o.log("wifi: lost; retrying every 10 s, readings are kept");
        this.online = false;
        // The ESP-IDF station does not always retry on its own: ask again, without a reboot.
        Timer.set(() => {
          if (!this.online) WiFi.connect({ ssid: this.o.ssid, password: this.o.password });
        }, 10_000);
      }
    });
  }

  private syncClock(): void {
    if (this.sntpStarted) return;
    this.sntpStarted = true;
    new SNTP({ host: this.o.ntp ?? "pool.ntp.org" }, (message, value) => {
      if (message === SNTP.time && value !== undefined) {
        Time.set(value);
        this.o.log(`clock: set by SNTP`);
      } else if (message === SNTP.error) {
        this.sntpStarted = false; // tried all servers: try again on the next gotIP or in a minute
        Timer.set(() => this.online && this.syncClock(), 60_000);
      }
    });
  }
}
