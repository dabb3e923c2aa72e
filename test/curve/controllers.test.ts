import test from "ava";
import {
  applyChange,
  fhemCommands,
  fitDelivered,
  genericSupplyC,
  lambdaFlowC,
  LAMBDA_DEFAULT,
  luxFit,
  luxReturnTargetC,
  luxReturnTargetRoundedC,
  quadraticSetBackK,
  linearSetBackK,
  setBackTable,
  settingLines,
  targetAtC,
  type Controller,
} from "../../analyser/curve/index.js";

test("Lambda: seed 004's worked example, 10.7 °C outdoor with the defaults gives 35.6 °C", (t) => {
  t.is(lambdaFlowC(LAMBDA_DEFAULT, 10.7), 35.6);
  // The integration's log line: room thermometer delta 0.9 K × factor 1 → 36.5 °C.
  t.is(lambdaFlowC(LAMBDA_DEFAULT, 10.7, { room: { targetC: 21.9, actualC: 21.0, factor: 1 } }), 36.5);
  t.is(lambdaFlowC(LAMBDA_DEFAULT, -30), 48.3, "flat below −22 °C");
  t.is(lambdaFlowC(LAMBDA_DEFAULT, 30), 32.0, "flat above +22 °C");
  t.is(lambdaFlowC(LAMBDA_DEFAULT, -11), 43.7, "halfway between −22 and 0 °C");
  t.is(lambdaFlowC({ ...LAMBDA_DEFAULT, offset_k: 2 }, 0, { ecoReductionK: -1 }), 40.0, "offset and ECO add on");
});

test("Luxtronik: FHEM's return-target formula, by hand at −7 and +7 °C for E = 32.0, O = 21.0", (t) => {
  const c = { end_point_c: 32.0, offset_c: 21.0 };
  // −7 °C: 21 + 12·28/(20 + 14) = 30.88; +7 °C: 21 + 12·14/(20 + 7) = 27.22.
  t.is(luxReturnTargetRoundedC(c, -7), 30.9);
  t.is(luxReturnTargetRoundedC(c, 7), 27.2);
  t.is(luxReturnTargetC(c, 21), 21, "the foot point: target equals the offset there");
  t.is(luxReturnTargetC({ end_point_c: 35, offset_c: 20 }, -20), 35, "with O = 20 the end point is the target at −20 °C");
});

test("Luxtronik: a two-point fit recovers the constants, on FHEM's 0.1 grid and on the controller's 0.5 grid", (t) => {
  const fit = luxFit([
    { outdoorC: -7, returnC: 30.9 },
    { outdoorC: 7, returnC: 27.2 },
  ]);
  t.true(fit.worstK <= 0.05, `both targets met to 0.05 K (worst ${fit.worstK})`);
  t.is(luxReturnTargetRoundedC(fit, -7), 30.9);
  t.is(luxReturnTargetRoundedC(fit, 7), 27.2);
  t.deepEqual(fhemCommands("WP", { end_point_c: 32, offset_c: 21 }), ["set WP heatingCurveEndPoint 32.0", "set WP heatingCurveOffset 21.0"]);
  const coarse = luxFit(
    [
      { outdoorC: -7, returnC: 30.9 },
      { outdoorC: 7, returnC: 27.2 },
    ],
    0.5,
  );
  t.is((coarse.end_point_c * 2) % 1, 0, "0.5 steps");
  t.is((coarse.offset_c * 2) % 1, 0, "0.5 steps");
  t.true(coarse.worstK < 0.5);
});

test("room feedback: seed 003's quadratic table and the linear factor, clamped to ±5 K", (t) => {
  const seed = [-0.3, -0.7, -1.1, -1.5, -2.0, -2.5, -3.1, -3.7, -4.3, -5.0];
  seed.forEach((v, i) => t.is(quadraticSetBackK((i + 1) / 10), v, `+${(i + 1) / 10} K`));
  t.is(quadraticSetBackK(-0.5), 2.0, "a cool room: the mirror image");
  t.is(quadraticSetBackK(2), -5, "clamped");
  t.is(linearSetBackK(0.4, 3), -1.2);
  t.is(linearSetBackK(-3, 5), 5, "clamped");
  t.throws(() => linearSetBackK(1, 7));
  t.is(setBackTable({ kind: "quadratic" }).length, 21);
});

test("changes land on the controller's step and never lower by more than asked", (t) => {
  const lambda: Controller = { kind: "lambda", step_k: 0.1, curve: LAMBDA_DEFAULT };
  const next = applyChange(lambda, { atRefK: -1.5, perK: 0, refC: 0 }, 2);
  t.is(next.kind === "lambda" ? next.curve.at_0_c : NaN, 37.5);
  t.deepEqual(settingLines(lambda, next, "de"), ["Stützpunkt −22 °C: 48,3 → 46,8 °C", "Stützpunkt 0 °C: 39,0 → 37,5 °C", "Stützpunkt +22 °C: 32,0 → 30,5 °C"]);
  t.is(settingLines(lambda, next, "en")[1], "Support point 0 °C: 39.0 → 37.5 °C");
  const limited = applyChange(lambda, { atRefK: -4, perK: 0, refC: 0 }, 1.5);
  t.is(targetAtC(limited, 0), 37.5, "step-limited");
  const lux: Controller = { kind: "luxtronik", step_k: 0.5, curve: { end_point_c: 32, offset_c: 21 } };
  const luxNext = applyChange(lux, { atRefK: -1, perK: 0, refC: 0 }, 2);
  t.true(targetAtC(luxNext, 0) < targetAtC(lux, 0), "Luxtronik target comes down");
  const gen: Controller = { kind: "generic", step_k: 0.5, curve: { slope: 0.5, shift_k: 0, foot_c: 20 } };
  t.is(genericSupplyC(gen.curve, -10), 35);
  const genNext = applyChange(gen, { atRefK: -1, perK: 0, refC: 0 }, 2);
  t.is(targetAtC(genNext, 0), 29);
});

test("delivered curve: a line with scatter from heating data, and Lambda points in the controller's terms", (t) => {
  const lambda: Controller = { kind: "lambda", step_k: 0.1, curve: LAMBDA_DEFAULT };
  const samples = [];
  for (let i = 0; i < 200; i++) {
    const x = (16 * i) / 199; // one segment of the curve: a straight line
    samples.push({ outdoorC: x, waterC: lambdaFlowC(LAMBDA_DEFAULT, x) - 2 + (i % 2 ? 0.3 : -0.3) });
  }
  const d = fitDelivered(samples, lambda)!;
  t.true(d.slopeKnown);
  t.true(Math.abs(d.interceptC - 37) < 0.2, `at 0 °C ≈ 37 (got ${d.interceptC})`);
  t.true(Math.abs(d.scatterK - 0.3) < 0.05);
  t.true(d.inTerms.kind === "lambda" && Math.abs(d.inTerms.curve.at_0_c - 37) < 0.3);
  const narrow = fitDelivered(samples.filter((p) => Math.abs(p.outdoorC) < 1), lambda)!;
  t.false(narrow.slopeKnown, "a narrow outdoor range does not set the slope");
});
