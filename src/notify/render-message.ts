import type { Alert } from "./alerts.js";
import type { NotificationInput } from "./notification-input.js";

export interface Message {
  subject: string;
  text: string;
}

/** Items listed per section; a webhook message has to stay readable (and under Slack's size limits). */
const maxListed = 20;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

function section(title: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  const more = lines.length > maxListed ? [`• … and ${lines.length - maxListed} more (see the report)`] : [];
  return ["", `${title} (${lines.length}):`, ...lines.slice(0, maxListed).map((line) => `• ${line}`), ...more];
}

/**
 * One plain-text message for both channels: Slack and Teams render it as is (`{"text": …}`), and it
 * is the e-mail body. The caller redacts it.
 */
export function renderMessage(input: NotificationInput, alerts: readonly Alert[], digest: boolean): Message {
  const pair = `${input.source.name || input.source.id} → ${input.destination.name || input.destination.id}`;
  const errors = alerts.filter((a) => a.kind === "error").map((a) => a.text);
  const stuck = alerts.filter((a) => a.kind === "stuck").map((a) => a.text);
  const recovered = alerts.filter((a) => a.kind === "recovered").map((a) => a.text);
  const people = alerts.filter((a) => a.kind === "person").map((a) => a.text);
  const held = alerts.filter((a) => a.kind === "held").map((a) => a.text);
  const contradicted = alerts.filter((a) => a.kind === "contradiction").map((a) => a.text);
  const problems = [
    contradicted.length > 0 ? `${plural(contradicted.length, "assumption")} contradicted` : "",
    errors.length > 0 ? plural(errors.length, "error") : "",
    stuck.length > 0 ? `${plural(stuck.length, "item")} stuck` : "",
    people.length > 0 ? `${plural(people.length, "item")} left alone as a person's decision` : "",
    held.length > 0 ? `${held.length} held for an operator` : "",
    recovered.length > 0 ? `${recovered.length} recovered` : "",
  ].filter(Boolean);
  const subject = `[ica-orchestrator] ${pair}: ${problems.length > 0 ? problems.join(", ") : "daily digest"}`;
  const lines = [`ica-orchestrator, ${pair}: cycle ${input.cycleId} ended ${input.outcome} at ${input.finishedAt}`];
  lines.push(...section("Contradicted assumptions", contradicted), ...section("Errors", errors), ...section("Stuck", stuck), ...section("Left alone as a person's decision", people), ...section("Held for an operator", held), ...section("Recovered", recovered));
  if (digest) {
    const counts = Object.entries(input.counts)
      .filter(([, n]) => n !== 0)
      .map(([key, n]) => `${key} ${n}`);
    lines.push("", `Daily digest: ${counts.length > 0 ? counts.join(", ") : "nothing done in the last cycle"}`);
    lines.push(...section("Waiting", input.waiting.map((w) => w.label)));
  }
  if (input.reportPath) lines.push("", `Report: ${input.reportPath}`);
  return { subject, text: lines.join("\n") };
}
