// The house file's controller section as the curve module's plain Controller. Pure.

import type { House } from "../../shared/house/index.js";
import type { Controller } from "./controller.js";

export function controllerOf(house: House): Controller {
  const hp = house.plant.heat_pump;
  const c = hp.controller;
  switch (c.kind) {
    case "lambda":
      return { kind: "lambda", step_k: c.step_k, curve: { ...hp.heating_curve } };
    case "luxtronik":
      return { kind: "luxtronik", step_k: c.step_k, curve: { end_point_c: c.end_point_c, offset_c: c.offset_c }, ...(c.fhem_device ? { fhem_device: c.fhem_device } : {}) };
    case "generic":
      return { kind: "generic", step_k: c.step_k, curve: { slope: c.slope, shift_k: c.shift_k, foot_c: c.foot_c } };
  }
}
