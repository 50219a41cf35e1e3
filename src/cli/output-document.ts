import { z } from "zod";
import { cycleReportSchema, planTotals, type CycleReport, type Plan } from "../orchestrator/index.js";
import type { StateStatus } from "./status-report.js";

/**
 * The one machine-readable shape of `plan`, `run` and `status` (`--output json`), documented in
 * docs/json-output.md. `schemaVersion` changes only when a field changes meaning or goes away; new
 * optional fields may appear within a version, so readers should ignore keys they do not know.
 */
const outputSchemaVersion = 2;

const icreditsSchema = z.object({ once: z.number(), perMonth: z.number() });

const planItemSchema = z.object({
  step: z.string(),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string(), path: z.string().optional(), name: z.string().optional() }),
  analysisId: z.string().optional(),
  ageDays: z.number().optional(),
  sizeBytes: z.number().optional(),
  icredits: icreditsSchema.optional(),
  reason: z.string(),
});

const planSchema = z.object({
  generatedAt: z.string(),
  steps: z.array(z.object({ step: z.string(), items: z.array(planItemSchema), warnings: z.array(z.string()) })),
  context: z
    .object({
      daysToArchive: z.number().nullable(),
      daysToDelete: z.number(),
      minDaysAfterDelivery: z.number(),
      deleteCap: z.number(),
      archivePolicy: z.string(),
      rates: z.object({ standardTbMonth: z.number(), archiveTbMonth: z.number(), archivePerTb: z.number(), restorePerTb: z.number() }),
      archiveLoss: z.string().optional(),
      asOf: z.boolean().optional(),
    })
    .optional(),
});

const kindTotalSchema = z.object({ items: z.number(), bytes: z.number(), unsized: z.number() });
const totalsSchema = z.object({
  byKind: z.object({ link: kindTotalSchema, archive: kindTotalSchema, restore: kindTotalSchema, delete: kindTotalSchema, trash: kindTotalSchema }),
  icredits: icreditsSchema,
});

/** One pair's cycle: its report, with the plan typed and totalled. */
const cycleDocumentSchema = cycleReportSchema.extend({ plan: planSchema, totals: totalsSchema });

const cyclesDocumentSchema = z.object({
  schemaVersion: z.literal(outputSchemaVersion),
  command: z.enum(["plan", "run"]),
  /** False when a cycle could not read or do everything (its `errors` say what): an incomplete plan is not an empty one. */
  complete: z.boolean(),
  cycles: z.array(cycleDocumentSchema),
});

const statusDocumentSchema = z.object({
  schemaVersion: z.literal(outputSchemaVersion),
  command: z.literal("status"),
  stateDir: z.string(),
  managedTables: z.array(
    z.object({ path: z.string(), count: z.number(), latest: z.array(z.object({ analysisId: z.string(), runId: z.string() })), warnings: z.array(z.string()) }),
  ),
  /** The journal's pending work (see docs/json-output.md). */
  journal: z.record(z.string(), z.unknown()),
  lastReport: z.object({ path: z.string(), report: cycleReportSchema }).optional(),
  assumptions: z.unknown().optional(),
});

/** @internal exported for the tests */
export const outputDocumentSchema = z.union([cyclesDocumentSchema, statusDocumentSchema]);

export function cyclesDocument(command: "plan" | "run", reports: readonly CycleReport[]): z.infer<typeof cyclesDocumentSchema> {
  return {
    schemaVersion: outputSchemaVersion,
    command,
    complete: reports.every((report) => report.outcome === "ok" || report.outcome === "skipped-locked"),
    cycles: reports.map((report) => ({ ...report, totals: planTotals(report.plan as Plan) })),
  };
}

export function statusDocument(status: StateStatus): z.infer<typeof statusDocumentSchema> {
  return { schemaVersion: outputSchemaVersion, command: "status", ...status };
}

export const toJsonText = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;
