import { z } from "zod";

/** The analysis event codes a trigger is made of: status change, and success (a lab may subscribe to either). */
const analysisEventCodes = new Set(["ICA_EXEC_028", "ICA_EXEC_002"]);

/**
 * An ICA analysis notification as delivered to an HTTP or SQS channel — the shape umccr/orcabus
 * documents receiving (`sfn-icav2-state-change-event-handler/Readme.md`). Only what a trigger needs is
 * required; the analysis itself is re-read from the API, never taken from the payload.
 */
const icaEventSchema = z.object({
  correlationId: z.string().min(1),
  timestamp: z.string().datetime({ offset: true }).optional(),
  eventCode: z.string().min(1),
  projectId: z.string().min(1).optional(),
  eventParameters: z
    .object({ pipelineExecution: z.string().min(1).optional(), analysisStatus: z.string().optional() })
    .optional(),
  payload: z.object({ id: z.string().min(1), status: z.string().optional() }).optional(),
});
export type IcaEvent = z.output<typeof icaEventSchema>;

/** What an event asks for: a look at one analysis, or nothing (another code, or not a success). */
export interface EventRequest {
  analysisId: string;
  occurredAt?: Date;
}

/**
 * Only a SUCCEEDED analysis can be delivered, so the other transitions (QUEUED, IN_PROGRESS...) ask for
 * nothing: three of the four events of a run would otherwise cost a read each.
 */
export function requestOf(event: IcaEvent): EventRequest | undefined {
  if (!analysisEventCodes.has(event.eventCode)) return undefined;
  const status = event.eventParameters?.analysisStatus ?? event.payload?.status;
  const analysisId = event.eventParameters?.pipelineExecution ?? event.payload?.id;
  if (analysisId === undefined || (status !== undefined && status !== "SUCCEEDED")) return undefined;
  return { analysisId, ...(event.timestamp ? { occurredAt: new Date(event.timestamp) } : {}) };
}

/**
 * Parses a delivery body: the event itself, or an SNS envelope around it (`{"Type":"Notification","Message":"…"}`)
 * when the lab fans ICA's SNS topic out to the queue. Undefined when it is not an ICA event.
 */
export function parseIcaEvent(body: string): IcaEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const envelope = z.object({ Type: z.literal("Notification"), Message: z.string() }).safeParse(json);
  if (envelope.success) return parseIcaEvent(envelope.data.Message);
  const parsed = icaEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
