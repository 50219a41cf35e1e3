import type { CanaryView } from "./canaries.js";

/** Each kind of irreversible action's canary, for `status` and `doctor`: contradicted first, then unconfirmed. */
export function renderCanaries(view: readonly CanaryView[], enabled: boolean): string {
  const order = { contradicted: 0, unconfirmed: 1, confirmed: 2 } as const;
  const mode = enabled ? "first on one item, at full rate once confirmed" : "off: every kind runs at full rate";
  const lines = [`Irreversible actions against this account (canary ${mode}):`];
  for (const entry of [...view].sort((a, b) => order[a.state] - order[b.state])) {
    const seen = entry.at === undefined ? ": not done yet" : ` since ${entry.at}: ${entry.evidence ?? ""}`;
    const ack = entry.state === "contradicted" ? ` — stopped; \`ica-orchestrator ack ${entry.kind}\` once understood` : "";
    lines.push(`  ${entry.state.padEnd(12)} ${entry.kind}${seen}${ack}`);
  }
  return `${lines.join("\n")}\n`;
}
