export { assumptionById, ledger, type ActionKind, type Assumption } from "./ledger.js";
export { renderAssumptionsMarkdown } from "./render-markdown.js";
