import type { SimContext } from "../../context.js";
import { type AnalysisRecord, type AnalysisStatusV4, toAnalysis } from "../analysis-representation.js";
import type { Directory } from "../directory.js";
import { stableUuid } from "../ids.js";
import { EventDelivery } from "./event-delivery.js";
import { EventHistory } from "./event-history.js";
import { parseFilterExpression } from "./filter-expression.js";
import { NotificationStore, type SubscriptionRecord } from "./notification-store.js";

/** "Analysis status change: emitted when a state transition on an analysis occurs" (ICA help, Notifications). */
export const ANALYSIS_STATUS_CHANGED = "ICA_EXEC_028";
/**
 * How often (real ms) the simulator applies due changes while a subscription exists. Changes are
 * otherwise applied on the next request; ICA emits an event whether or not anyone polls.
 */
const EVENT_CLOCK_MS = 100;

/**
 * Analysis events: every status change is written to the event log, and sent to each enabled
 * `ICA_EXEC_028` subscription of the analysis' project whose filter accepts the analysis. The message
 * is the one umccr/orcabus documents receiving from ICA on SQS
 * (`lib/workload/components/sfn-icav2-state-change-event-handler/Readme.md`): correlationId, timestamp,
 * eventCode, eventParameters{pipelineExecution, analysisPreviousStatus, analysisStatus}, description,
 * projectId, payloadVersion and payload (the analysis). A duplicate delivery carries the same correlationId.
 */
export class AnalysisEvents {
  readonly history = new EventHistory();
  readonly notifications = new NotificationStore();
  readonly delivery: EventDelivery;
  private readonly filters = new Map<string, (payload: unknown) => boolean>();
  private clockTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly directory: Directory,
  ) {
    this.delivery = new EventDelivery(ctx);
  }

  /** Refuses (400) a filter expression the simulator cannot read, before anything is stored. */
  checkFilter(expression: string | null): void {
    if (expression !== null) parseFilterExpression(expression);
  }

  subscribe(fields: Omit<SubscriptionRecord, "id">): SubscriptionRecord {
    const subscription = this.notifications.addSubscription(fields);
    if (fields.filterExpression !== null) this.filters.set(subscription.id, parseFilterExpression(fields.filterExpression));
    if (subscription.enabled) this.startClock();
    return subscription;
  }

  statusChanged(analysis: AnalysisRecord, previous: AnalysisStatusV4): void {
    const project = this.directory.project(analysis.projectId);
    if (!project) return;
    const nowMs = this.ctx.clock.now();
    const entry = this.history.add({
      timeCreatedMs: nowMs,
      project,
      code: ANALYSIS_STATUS_CHANGED,
      description: `Analysis ${analysis.id} status changed from ${previous} to ${analysis.status}`,
      category: "INFO",
    });
    for (const subscription of this.notifications.subscriptionsOf(project.id)) {
      if (!subscription.enabled || subscription.eventCode !== ANALYSIS_STATUS_CHANGED) continue;
      const channel = this.notifications.channelById(subscription.channelId);
      if (!channel?.enabled) continue;
      const version = subscription.payloadVersion === "V3" ? "v3" : "v4";
      const payload = toAnalysis(analysis, version, this.directory);
      if (!(this.filters.get(subscription.id)?.(payload) ?? true)) continue;
      const message = {
        correlationId: stableUuid("correlation", entry.id),
        timestamp: new Date(nowMs).toISOString(),
        eventCode: ANALYSIS_STATUS_CHANGED,
        eventParameters: { pipelineExecution: analysis.id, analysisPreviousStatus: previous, analysisStatus: analysis.status },
        description: "Analysis status changed",
        projectId: project.id,
        payloadVersion: version,
        payload,
      };
      this.delivery.send(channel, JSON.stringify(message));
    }
  }

  private startClock(): void {
    if (this.clockTimer !== undefined || this.ctx.retired.aborted) return;
    const timer = setInterval(() => this.ctx.scheduler.runDue(), EVENT_CLOCK_MS);
    timer.unref();
    this.clockTimer = timer;
    this.ctx.retired.addEventListener("abort", () => clearInterval(timer), { once: true });
  }
}
