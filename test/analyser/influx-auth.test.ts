import anyTest, { type TestFn } from "ava";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { readInflux } from "../../analyser/sources/influx.js";
import { setupRollup } from "../../analyser/sources/rollup-setup.js";
import { useInfluxd } from "../helpers/influxd.js";
import { smallHouse } from "./fixture.js";

const { test, influxd } = useInfluxd(anyTest as TestFn, { auth: true });
const house = () => ({ ...smallHouse(), influx: { url: influxd().url, database: "fb", retention_policy: "autogen" } });
const window = { start: 1_800_000_000, end: 1_800_003_600 };

let created: Promise<void> | undefined;
const ready = () => (created ??= influxd().createDatabase("fb"));

test("bad credentials are one clear error with their own exit code, and the password is not in it", async (t) => {
  await ready();
  const err = await t.throwsAsync(readInflux(house(), { influx_username: "admin", influx_password: "wrong-secret" }, window), { instanceOf: UserError });
  t.is(err!.exitCode, EXIT.influxAuth);
  t.regex(err!.message, /refused the user name or password/);
  t.false(err!.message.includes("wrong-secret"));
  t.false((err!.hint ?? "").includes("wrong-secret"));
});

test("no credentials against a server that needs them: the same exit code, and it says none is set, not refused", async (t) => {
  await ready();
  const err = await t.throwsAsync(readInflux(house(), {}, window), { instanceOf: UserError });
  t.is(err!.exitCode, EXIT.influxAuth);
  t.regex(err!.message, /needs a user name and password, and none is set/);
  t.notRegex(err!.message, /refused/);
});

test("good credentials read (an empty window is empty, not an error)", async (t) => {
  await ready();
  const s = await readInflux(house(), { influx_username: "admin", influx_password: "admin" }, window);
  t.is(s.minutes, 60);
  t.is(s.byRom.size, 0);
});

test("setting up the rollup as a user who may only read is one clear error naming what to grant", async (t) => {
  await ready();
  await influxd().query(`CREATE USER reader WITH PASSWORD 'reader-secret'`);
  await influxd().query(`GRANT READ ON "fb" TO reader`);
  const err = await t.throwsAsync(setupRollup(house(), { influx_username: "reader", influx_password: "reader-secret" }, { now: window.end }), { instanceOf: UserError });
  t.is(err!.exitCode, EXIT.influxAuth);
  t.regex(err!.message, /may not create the rollup in database "fb"/);
  t.regex(err!.hint ?? "", /GRANT ALL ON "fb"/);
  t.false(`${err!.message} ${err!.hint}`.includes("reader-secret"));
});

test("a user with ALL on the database (no admin) can set up the rollup", async (t) => {
  await ready();
  await influxd().query(`CREATE USER keeper WITH PASSWORD 'keeper-pw'`);
  await influxd().query(`GRANT ALL ON "fb" TO keeper`);
  const report = await setupRollup(house(), { influx_username: "keeper", influx_password: "keeper-pw" }, { now: window.end });
  t.false(report.createdDatabase);
  t.is(report.roms.length, 5);
});
