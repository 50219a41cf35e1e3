import { writeFileSync } from "node:fs";
import { renderAssumptionsMarkdown } from "../../src/assumptions/index.js";

// Rewrites docs/assumptions.md from the ledger; run from the repository root.
writeFileSync("docs/assumptions.md", renderAssumptionsMarkdown());
