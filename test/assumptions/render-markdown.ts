import { ledger, type Assumption } from "../../src/assumptions/ledger.js";

const header = `# Assumptions

Generated from \`src/assumptions/ledger.ts\`; \`test/assumptions/ledger.test.ts\` fails when this file and the
ledger differ (regenerate with \`UPDATE_DOCS=1 npx vitest run test/assumptions/ledger.test.ts\`).

No one building this product can reach ICA or BaseSpace. Every belief about them that a delivery, deletion,
archive or billed action depends on, and that no source confirms, is listed here with its evidence, what the
product does if it is false, and what a running cycle can observe to confirm or contradict it. The simulator
plays each alternative under the same id (\`GET /__sim/assumptions\`, \`PUT /__sim/assumptions\`,
\`simulator --assume <id>=<alternative>\`, \`startSimulator({ assume })\`); its default is the first reading.

When a cycle sees a service contradict an entry, it says so everywhere and stops what rests on it: the
entry is recorded as contradicted in the state directory (\`assumptions.json\`, with when and on what), the
cycle report lists it under \`contradictions: [{assumption, evidence}]\`, the log has an error line, one
alert goes out keyed on the entry's id (\`contradiction:<pair>:<id>\`, not repeated while it stands),
\`status\` and \`doctor\` show it first, and the kinds of action under **Gates** stop — each planned one a
skip naming the entry — until \`ica-orchestrator ack <id>\`. Delivery and the other actions go on.
Besides these beliefs, every kind of irreversible action (ICA archive, unarchive, delete; BaseSpace archive,
restore, trash, empty-trash; the billed relaunch of \`--requeue_failed\`) is itself treated as unconfirmed against
a new account: it goes first on one item, and runs at full rate only once a later cycle has read that item back
as done (the canary, docs/safety.md §15.2;
\`status\` and \`doctor\` list each kind with the entries below, \`--canary off\` skips it).
`;

function entry(a: Assumption): string {
  const alternatives = a.alternatives.length > 0 ? a.alternatives.map((alt) => `\`${alt}\``).join(", ") : "not simulated yet";
  return [
    `## \`${a.id}\` (${a.service})`,
    "",
    a.statement,
    "",
    `- **Evidence:** ${a.evidence}`,
    `- **If false:** ${a.ifFalse}`,
    `- **Observable:** ${a.observable}`,
    `- **Gates:** ${a.gates.map((g) => `\`${g}\``).join(", ")}`,
    `- **Simulator alternatives:** ${alternatives}`,
    "",
  ].join("\n");
}

/** docs/assumptions.md, exactly. */
export function renderAssumptionsMarkdown(entries: readonly Assumption[] = ledger): string {
  return [header, ...entries.map(entry)].join("\n");
}
