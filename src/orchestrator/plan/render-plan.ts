import type { IcreditEffect } from "./cost.js";
import { alignColumns, formatBytes, formatDays } from "./format.js";
import { byAction, groupTotal, planTotals, totalledKinds, type KindTotal } from "./plan-totals.js";
import type { Plan, PlanContext, PlanItem, StepPlan } from "./plan-types.js";

/** The plan as `plan` / `--dry_run` print it, and as JSON for the state directory. */

export function createPlan(now: Date, steps: readonly StepPlan[], context?: PlanContext): Plan {
  return { generatedAt: now.toISOString(), steps: [...steps], ...(context ? { context } : {}) };
}

/** @internal exported for the tests */
export function planToJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

interface ProjectLabel {
  id: string;
  name: string;
}

export interface PlanTableOptions {
  /** Every item; otherwise the first few of each action, so a year of backlog reads in one screen. */
  verbose?: boolean;
  /** The pair the plan is for (the cycle report has it). */
  source?: ProjectLabel;
  destination?: ProjectLabel;
}

/** Items shown per action and warnings per step without --verbose. */
const FIRST_FEW = 3;
/** Names and paths are shortened to this; ids never are. */
const NAME_WIDTH = 56;

/**
 * A text table: a header (pair, thresholds, prices, totals with estimated iCredits, the policy's
 * verdict), then one section per step, grouped by action: a line with the count, bytes and iCredits
 * of the group, then its items (full id, name, age, size, iCredits, reason) and the step's warnings.
 */
export function renderPlanTable(plan: Plan, options: PlanTableOptions = {}): string {
  const lines = [...renderHeader(plan, options)];
  for (const step of plan.steps) lines.push("", ...renderStep(step, options.verbose === true));
  return `${lines.join("\n")}\n`;
}

function renderHeader(plan: Plan, options: PlanTableOptions): string[] {
  const { context } = plan;
  const lines = [`Plan ${context?.asOf ? "as of" : "at"} ${plan.generatedAt}${context?.asOf ? " (ages computed at that date; nothing changed)" : ""}`];
  if (options.source && options.destination) lines.push(`  ${describeProject(options.source)} → ${describeProject(options.destination)}`);
  if (context) {
    const archive = context.daysToArchive === null ? "off" : String(context.daysToArchive);
    lines.push(
      `  days_to_archive ${archive}, days_to_delete ${context.daysToDelete}, min_days_after_delivery ${context.minDaysAfterDelivery}, ` +
        `delete_cap ${context.deleteCap}, archive_policy ${context.archivePolicy}`,
      `  prices (iCredits): ${context.rates.standardTbMonth} per TB-month standard, ${context.rates.archiveTbMonth} archived, ` +
        `${context.rates.archivePerTb} per TB to archive, ${context.rates.restorePerTb} per TB to restore`,
    );
    if (context.archiveLoss !== undefined) lines.push(`  ! ${context.archiveLoss}`);
  }
  const totals = planTotals(plan);
  const rows = totalledKinds.filter((kind) => totals.byKind[kind].items > 0).map((kind) => [kind, ...describeTotal(totals.byKind[kind])]);
  if (rows.length === 0) return [...lines, "  nothing to link, archive, restore, delete or trash"];
  lines.push(...alignColumns([["TOTAL", "ITEMS", "SIZE"], ...rows]).map((line) => `  ${line}`));
  lines.push(`  estimated iCredits: ${formatIcredits(totals.icredits)}`);
  return lines;
}

function describeTotal(total: KindTotal): [string, string] {
  const unsized = total.unsized > 0 ? ` (+${total.unsized} of unknown size)` : "";
  return [String(total.items), `${formatBytes(total.bytes)}${unsized}`];
}

function renderStep(step: StepPlan, verbose: boolean): string[] {
  if (step.items.length === 0 && step.warnings.length === 0) return [`${step.step}: nothing to do`];
  const groups = byAction(step.items);
  const lines = [`${step.step}: ${step.items.length === 0 ? "no items" : [...groups].map(([action, items]) => `${action} ${items.length}`).join(", ")}`];
  for (const [action, items] of groups) {
    lines.push(`  ${action}: ${describeGroup(items)}`);
    const shown = verbose ? items : items.slice(0, FIRST_FEW);
    lines.push(...alignColumns([["ID", "NAME", "AGE", "SIZE", "ICREDITS", "REASON"], ...shown.map(itemRow)]).map((line) => `    ${line}`));
    if (shown.length < items.length) lines.push(`    … and ${items.length - shown.length} more (--verbose lists every item)`);
  }
  const warnings = verbose ? step.warnings : step.warnings.slice(0, FIRST_FEW);
  lines.push(...warnings.map((warning) => `  ! ${warning}`));
  if (warnings.length < step.warnings.length) lines.push(`  ! … and ${step.warnings.length - warnings.length} more warnings (--verbose, or the JSON plan)`);
  return lines;
}

function describeGroup(items: readonly PlanItem[]): string {
  const total = groupTotal(items);
  const parts = [`${total.items} item(s)`];
  if (total.unsized < total.items) parts.push(`${formatBytes(total.bytes)}${total.unsized > 0 ? ` (${total.unsized} of unknown size)` : ""}`);
  if (total.priced > 0) parts.push(`est. ${formatIcredits(total.icredits)}`);
  return parts.join(", ");
}

function itemRow(item: PlanItem): string[] {
  return [
    item.target.id,
    shorten(targetName(item), NAME_WIDTH),
    item.ageDays === undefined ? "" : formatDays(item.ageDays),
    item.sizeBytes === undefined ? "" : formatBytes(item.sizeBytes),
    item.icredits === undefined ? "" : formatIcredits(item.icredits),
    item.reason,
  ];
}

/** The path or name, when it says more than the id. */
function targetName(item: PlanItem): string {
  const { path, name, id } = item.target;
  const label = path ?? name ?? "";
  return label === id ? "" : label;
}

const signed = (value: number): string => `${value > 0 ? "+" : value < 0 ? "−" : ""}${Math.abs(value).toFixed(2)}`;

/** `+20.00 now, −20.50/month`: a charge now and the change of the monthly bill (negative saves). */
export function formatIcredits(effect: IcreditEffect): string {
  return `${signed(effect.once)} now, ${signed(effect.perMonth)}/month`;
}

export function describeProject(project: ProjectLabel): string {
  if (project.name && project.id) return `${project.name} (${project.id})`;
  return project.name || project.id || "?";
}

/** Keeps both ends of long paths: the project folder and the file name say the most. */
function shorten(text: string, width: number): string {
  if (text.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}
