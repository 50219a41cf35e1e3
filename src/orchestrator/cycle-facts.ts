import type { IcaAnalysis, IcaProject } from "../ica/schemas.js";
import { OutputFolders } from "../modules/outputs/index.js";
import type { ManagingEntry } from "../state/index.js";
import type { CycleContext } from "./cycle-context.js";
import type { ActionLog } from "./action-log.js";
import type { ScopeGate } from "./plan/basespace-scopes.js";
import type { StorageUnderManagement } from "./plan/cost.js";
import { cappedActions, deletionBudget, type DeletionBudget } from "./plan/cap.js";
import { deliveryHolds as planDeliveryHolds } from "./plan/delivery-holds.js";
import { findNewAnalyses, type NewAnalyses } from "./plan/new-analyses.js";
import { restingHolds, selectionFingerprint } from "./plan/resting-holds.js";

/** What the resolve step learns: both ICA projects and what the BaseSpace token may do. */
export interface ResolvedProjects {
  source: IcaProject;
  destination: IcaProject;
  /** null when there is no BaseSpace token or its scopes could not be read: the BaseSpace lifecycle is skipped. */
  scopes: ScopeGate | null;
  /** The BaseSpace user the token acts for, read with the scopes; null when unknown. */
  basespaceUserId: string | null;
}

/** A journal entry of an analysis an earlier cycle started managing. */
interface InFlightAnalysis {
  analysisId: string;
  entry: ManagingEntry;
}

/**
 * The cycle once its source project is listed: the facts every later step reads, each computed once.
 * Steps take it as `(cycle, recorder)`; what one step leaves for a later one (the deletion budget,
 * the analyses delivered) is kept here too, so the cycle itself threads nothing between steps.
 */
export interface ListedCycle extends CycleContext {
  readonly projects: ResolvedProjects;
  /** Every analysis of the source project (every status and pipeline), listed once. */
  readonly analyses: readonly IcaAnalysis[];
  /** Analysis ids in the managed table as the cycle read it (adopted ones included). */
  readonly managedIds: ReadonlySet<string>;
  /** The BCLConvert analyses of the listing sorted for manageNew: new ones (with their journal entry), pending, failed. */
  readonly newAnalyses: NewAnalyses<IcaAnalysis, InFlightAnalysis>;
  /** Output folders of the source project, each read at most once per cycle (manageNew, classifyAged, icaLifecycle). */
  readonly outputFolders: OutputFolders;
  /** The per-cycle deletion cap, shared by the ICA and the BaseSpace lifecycle. */
  readonly budget: CycleBudget;
  /** New analyses manageNew appended to the managed table (in a dry run: would append); set when it finishes. */
  delivered: ReadonlySet<string>;
  /** Bytes of the BaseSpace items the BaseSpace lifecycle listed, for the report's storage; set when it lists. */
  basespaceStorage: StorageUnderManagement;
}

/** The facts of a cycle from its resolved projects, its analysis listing and the managed table. */
export function listedCycle(
  ctx: CycleContext,
  projects: ResolvedProjects,
  analyses: readonly IcaAnalysis[],
  managedIds: ReadonlySet<string>,
): ListedCycle {
  const inFlight = Object.entries(ctx.journal.data.managing).map(([analysisId, entry]) => ({ analysisId, entry }));
  return {
    ...ctx,
    projects,
    analyses,
    managedIds,
    newAnalyses: findNewAnalyses({
      analyses,
      managedIds,
      inFlight,
      pipelinePattern: ctx.settings.bclConvertPattern,
      redeliver: new Set(Object.keys(ctx.journal.data.redeliveries)),
      resting: restingHolds(ctx.journal.data.undeliverable, selectionFingerprint(ctx.settings), ctx.now),
    }),
    outputFolders: new OutputFolders(ctx.ica, projects.source.id, ctx.settings.concurrency),
    budget: new CycleBudget(deletionBudget(ctx.settings.deleteCap)),
    delivered: new Set(),
    basespaceStorage: { standardBytes: 0, archivedBytes: 0 },
  };
}

/** The cycle's delivery holds (plan/delivery-holds.ts) from its listing, manageNew's outcome and the journal. */
export function deliveryHolds(cycle: ListedCycle): Map<string, string> {
  return planDeliveryHolds({
    toManage: cycle.newAnalyses.toManage,
    resting: cycle.newAnalyses.resting,
    delivered: cycle.delivered,
    deliveredAt: cycle.journal.data.delivered,
    minDaysAfterDelivery: cycle.settings.minDaysAfterDelivery,
    now: cycle.now,
  });
}

/** The deletion budget of one cycle: the ICA lifecycle plans first and leaves the rest to BaseSpace. */
class CycleBudget {
  private leftByIca: DeletionBudget | undefined;

  constructor(readonly initial: DeletionBudget) {}

  /** What the ICA lifecycle left, once it finished. */
  settleIca(left: DeletionBudget): void {
    this.leftByIca = left;
  }

  /**
   * What the BaseSpace lifecycle may spend: what the ICA lifecycle left or, when that step failed
   * part-way, the initial budget less every capped action it attempted, so the cap holds even when a
   * step's own accounting was lost.
   */
  forBasespace(actions: Pick<ActionLog, "targetsOf"> | undefined): DeletionBudget {
    if (this.leftByIca) return this.leftByIca;
    const spent = actions?.targetsOf(cappedActions) ?? 0;
    return { cap: this.initial.cap, remaining: Math.max(0, this.initial.remaining - spent) };
  }
}
