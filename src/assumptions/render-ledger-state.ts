import type { LedgerState } from "./ledger-state.js";

/** The ledger's state for `status` and `doctor`: one line per entry, contradicted first, then confirmed. */
export function renderLedgerState(view: ReturnType<LedgerState["view"]>): string {
  const order = { contradicted: 0, confirmed: 1, unconfirmed: 2 } as const;
  const lines = ["Assumptions about ICA and BaseSpace (docs/assumptions.md):"];
  for (const entry of [...view].sort((a, b) => order[a.state] - order[b.state])) {
    const seen = entry.at === undefined ? "" : ` since ${entry.at}: ${entry.evidence ?? ""}`;
    const ack = entry.state === "contradicted" ? ` — its actions are stopped; \`ica-orchestrator ack ${entry.id}\` once understood` : "";
    lines.push(`  ${entry.state.padEnd(12)} ${entry.id}${seen}${ack}`);
  }
  return `${lines.join("\n")}\n`;
}
