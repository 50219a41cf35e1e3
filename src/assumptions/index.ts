export { assumptionById, ledger, type ActionKind, type Assumption } from "./ledger.js";
export { renderAssumptionsMarkdown } from "./render-markdown.js";
export { describeContradiction, type Contradiction } from "./contradiction.js";
export { LedgerState, ledgerStateFile, type LedgerEntryState } from "./ledger-state.js";
export { renderLedgerState } from "./render-ledger-state.js";
