export { assumptionById, ledger, type ActionKind } from "./ledger.js";
export { describeContradiction, type Contradiction } from "./contradiction.js";
export { LedgerState } from "./ledger-state.js";
export { renderLedgerState } from "./render-ledger-state.js";
