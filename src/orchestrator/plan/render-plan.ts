import { alignColumns, formatBytes, formatDays } from "./format.js";
import type { Plan, PlanItem, StepPlan } from "./plan-types.js";

/** The plan as `plan` / `--dry_run` print it, and as JSON for the state directory. */

export function createPlan(now: Date, steps: readonly StepPlan[]): Plan {
  return { generatedAt: now.toISOString(), steps: [...steps] };
}

/** @internal exported for the tests */
export function planToJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

const TARGET_WIDTH = 64;

/**
 * A compact text table, one section per step: a summary line (count per action, with the total size
 * when there is one), the items (action, target path/name/id, age, size, reason) and the warnings.
 */
export function renderPlanTable(plan: Plan): string {
  const lines = [`Plan at ${plan.generatedAt}`];
  for (const step of plan.steps) lines.push("", ...renderStep(step));
  return `${lines.join("\n")}\n`;
}

function renderStep(step: StepPlan): string[] {
  if (step.items.length === 0 && step.warnings.length === 0) return [`${step.step}: nothing to do`];
  const rows = step.items.map((item) => [
    item.action,
    shorten(targetLabel(item), TARGET_WIDTH),
    item.ageDays === undefined ? "" : formatDays(item.ageDays),
    item.sizeBytes === undefined ? "" : formatBytes(item.sizeBytes),
    item.reason,
  ]);
  const table = rows.length === 0 ? [] : alignColumns([["ACTION", "TARGET", "AGE", "SIZE", "REASON"], ...rows]);
  return [
    `${step.step}: ${summarize(step.items)}`,
    ...table.map((line) => `  ${line}`),
    ...step.warnings.map((warning) => `  ! ${warning}`),
  ];
}

function summarize(items: readonly PlanItem[]): string {
  if (items.length === 0) return "no items";
  const byAction = new Map<string, { count: number; bytes: number; sized: boolean }>();
  for (const item of items) {
    const entry = byAction.get(item.action) ?? { count: 0, bytes: 0, sized: false };
    entry.count += 1;
    if (item.sizeBytes !== undefined) {
      entry.bytes += item.sizeBytes;
      entry.sized = true;
    }
    byAction.set(item.action, entry);
  }
  return [...byAction]
    .map(([action, { count, bytes, sized }]) => `${action} ${count}${sized ? ` (${formatBytes(bytes)})` : ""}`)
    .join(", ");
}

function targetLabel(item: PlanItem): string {
  const { path, name, id } = item.target;
  return path ?? (name !== undefined && name !== id ? `${name} [${id}]` : id);
}

/** Keeps both ends of long paths: the project folder and the file name say the most. */
function shorten(text: string, width: number): string {
  if (text.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}
