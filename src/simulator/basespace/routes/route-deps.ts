import type { SimAssumptions } from "../../assumption-switches.js";
import type { SimClock } from "../../clock.js";
import type { Lifecycle } from "../lifecycle.js";
import type { Shapes } from "../shapes.js";
import type { BasespaceStore } from "../store.js";

/** What every BaseSpace route module is built from. */
export interface RouteDeps {
  store: BasespaceStore;
  shapes: Shapes;
  lifecycle: Lifecycle;
  clock: SimClock;
  assumptions: SimAssumptions;
}
