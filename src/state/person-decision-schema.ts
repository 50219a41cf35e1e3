import { z } from "zod";

/**
 * Something a person did to an item this tool had acted on, which the tool takes as that person's
 * decision: it leaves the item alone until the operator releases it (`ica-orchestrator release <id>`).
 */
const personDecisionKinds = ["restored-from-trash", "unarchived", "moved"] as const;

export const personDecisionSchema = z.strictObject({
  kind: z.enum(personDecisionKinds),
  target: z.enum(["ica-folder", "bs-dataset", "bs-run"]),
  /** Path of an ICA folder (its new one when moved), name of a BaseSpace item. */
  name: z.string().optional(),
  /** The analysis whose output folder it is (ICA folders only). */
  analysisId: z.string().min(1).optional(),
  /** One line for people: what was seen. */
  detail: z.string(),
  detectedAt: z.iso.datetime(),
  /** The cycle that saw it, so it is reported (and alerted) once. */
  cycleId: z.string(),
});
export type PersonDecision = z.infer<typeof personDecisionSchema>;
