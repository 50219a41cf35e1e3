export { assumptionById, ledger, type ActionKind } from "./ledger.js";
export { describeContradiction, type Contradiction } from "./contradiction.js";
export { LedgerState } from "./ledger-state.js";
export { renderLedgerState } from "./render-ledger-state.js";
export { isCanaryKind, canaryKinds, type CanaryView } from "./canaries.js";
export { renderCanaries } from "./render-canaries.js";
