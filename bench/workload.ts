import type { Settings } from "../src/config/index.js";
import { analysisStateOf } from "../src/modules/monitor/index.js";
import {
  DAY_MS,
  analysisAgeDays,
  cheapPathFirst,
  classifyAge,
  decideEmptyTrash,
  deletionBudget,
  deliveryHolds,
  emptyProtectList,
  fastqMatcher,
  findNewAnalyses,
  gateBasespaceScopes,
  isAged,
  lifecycleWindows,
  planAdoption,
  planBasespaceLifecycle,
  planIcaLifecycle,
  resolveBasespaceProjects,
  selectRuns,
  type BasespaceItem,
  type CheapPathInput,
  type DeletionBudget,
  type IcaManagedAnalysis,
  type LifecycleWindows,
  type NewAnalyses,
  type PlanItem,
  type TrashEntry,
} from "../src/orchestrator/plan/index.js";
import type { Fixture } from "../src/simulator/index.js";
import { sourceAnalyses, type FixtureAnalysis } from "./fixture-analyses.js";
import type { NewAnalysisWork, Workload } from "./lower-bound.js";

/**
 * The oracle behind the lower bound: what a cycle must read and do, derived from the fixture alone (no
 * API call) with the planning core's own rules (age windows, the delivery policy and the adoption guard,
 * FASTQ selection, delivery holds, lifecycle decisions, cheap path first, the deletion cap), so the bound
 * and the cycle agree on *what* is done and differ only in *how many calls*.
 */

/**
 * `first` and `dry`: the fixture as loaded, empty journal, the managed table holding `managedIds`.
 * `steady`: after cycles have converged — every SUCCEEDED BCLConvert managed, every aged analysis
 * classified, every lifecycle action done — so only the listings remain.
 */
export type Phase = "first" | "dry" | "steady";

type WorkloadSettings = Pick<
  Settings,
  | "daysToArchive"
  | "daysToDelete"
  | "deleteCap"
  | "basespaceRuns"
  | "emptyTrash"
  | "fastqPattern"
  | "bclConvertPattern"
  | "adopt"
  | "minDaysAfterDelivery"
> & { basespace?: unknown };

export interface WorkloadInput {
  fixture: Fixture;
  phase: Phase;
  /** Simulated time the fixture was loaded at (its "days ago" are counted from here). */
  loadedAtMs: number;
  /** Simulated time of the cycle. */
  nowMs: number;
  settings: WorkloadSettings;
  /** Analysis ids already in the managed table (`first`/`dry`). */
  managedIds?: ReadonlySet<string>;
}

/** A fixture analysis as the cycle's listing shows it: what the planning functions read. */
interface ListedAnalysis {
  id: string;
  reference: string;
  status: string;
  pipeline: { id: string; code: string };
  timeCreated: string;
  startDate: string | null;
}

interface AnalysisFacts {
  analysis: FixtureAnalysis;
  listed: ListedAnalysis;
  ageDays: number;
  /** Aged and finished: classifyAged reads who manages it (a running one's outputs are still being written). */
  aged: boolean;
  marker: "bssh" | "ica" | "unknown";
  basespaceProjectNames: string[];
  selectedFastqs: number;
}

const unlimited = (): DeletionBudget => deletionBudget(Number.MAX_SAFE_INTEGER);

export function workloadFromFixture(input: WorkloadInput): Workload {
  const { fixture, settings, phase } = input;
  const windows = lifecycleWindows(settings.daysToArchive, settings.daysToDelete);
  const now = new Date(input.nowMs);
  const facts = listingOrder(sourceAnalyses(fixture).map((a) => analysisFacts(a, input, windows, now)));
  const found = newAnalysesOf(facts, input, windows, now);
  const factsById = new Map(facts.map((f) => [f.analysis.id, f]));
  const toManage = found.toManage.map(({ analysis }) => factsById.get(analysis.id) as AnalysisFacts);
  const holds = deliveryHolds({
    toManage: found.toManage,
    resting: found.resting,
    // What manageNew records: the analyses with MGI FASTQs; those without are held for an operator.
    delivered: new Set(toManage.filter((f) => f.selectedFastqs > 0).map((f) => f.analysis.id)),
    deliveredAt: {},
    minDaysAfterDelivery: settings.minDaysAfterDelivery,
    now,
  });

  const ica = planIcaLifecycle({
    analyses: facts.filter((f) => f.aged && f.marker === "ica").map((f) => icaManaged(f, holds.get(f.analysis.id))),
    windows,
    unarchiveRequested: new Set(),
    budget: phase === "steady" ? unlimited() : deletionBudget(settings.deleteCap),
    protect: emptyProtectList,
  });
  const basespace = basespaceWork(fixture, facts, settings, windows, (input.nowMs - input.loadedAtMs) / DAY_MS, phase, ica.budget);

  const base = {
    projectLookups: 2,
    sourceAnalyses: facts.length,
    basespaceTokens: settings.basespace === undefined ? 0 : 1,
    ...basespace.listings,
    dryRun: phase === "dry",
  };
  if (phase === "steady") {
    return {
      ...base,
      newAnalyses: [],
      unclassifiedAged: 0,
      bsshMarkersToRead: 0,
      icaActions: 0,
      basespaceArchiveIds: 0,
      basespaceRestoreIds: 0,
      basespaceTrashItems: 0,
      emptyTrash: false,
    };
  }
  const managing = new Set(toManage.map((f) => f.analysis.id));
  const newAnalyses: NewAnalysisWork[] = toManage.map((f) => ({ selectedFastqs: f.selectedFastqs, folderPath: folderPathOf(f.analysis) }));
  return {
    ...base,
    newAnalyses,
    unclassifiedAged: facts.filter((f) => f.aged && !managing.has(f.analysis.id)).length,
    bsshMarkersToRead: facts.filter(readsBsshMarker).length,
    icaActions: countActions(firstAnswers(ica.items, "ica"), ["archive", "unarchive", "delete"]),
    basespaceArchiveIds: countActions(basespace.acted, ["archive"]),
    basespaceRestoreIds: countActions(basespace.acted, ["restore"]),
    basespaceTrashItems: countActions(basespace.acted, ["trash"]),
    emptyTrash: basespace.emptyTrash,
  };
}

/** The cycle's listing is sorted by reference (IcaClient.searchAllAnalyses); the delivery policy breaks ties by it. */
function listingOrder(facts: AnalysisFacts[]): AnalysisFacts[] {
  return [...facts].sort((a, b) => (a.listed.reference < b.listed.reference ? -1 : a.listed.reference > b.listed.reference ? 1 : 0));
}

/**
 * What manageNew takes on, by the cycle's own rules (findNewAnalyses: one delivery per run, the
 * later analyses of a run superseded) after the adoption guard (planAdoption: `record` puts the old
 * ones in the table undelivered). A steady cycle has nothing new. Bench cycles start with an empty
 * journal: nothing in flight, resting or asked for again.
 */
function newAnalysesOf(facts: readonly AnalysisFacts[], input: WorkloadInput, windows: LifecycleWindows, now: Date): NewAnalyses<ListedAnalysis, { analysisId: string }> {
  const listed = facts.map((f) => f.listed);
  const find = (managedIds: ReadonlySet<string>) =>
    findNewAnalyses({ analyses: listed, managedIds, inFlight: [], pipelinePattern: input.settings.bclConvertPattern });
  const managedIds = input.managedIds ?? new Set<string>();
  // Converged: every analysis the cycle delivers is in the table.
  if (input.phase === "steady") return find(new Set(listed.map((a) => a.id)));
  const found = find(managedIds);
  const adoption = planAdoption({ tableRows: managedIds.size, candidates: found.toManage.map(({ analysis }) => analysis), mode: input.settings.adopt, windows, now });
  if (adoption.kind === "refuse") throw new Error(`the adoption guard would refuse this cycle (${adoption.old.length} old analyses, no adopt setting): give the bench cycle adopt deliver or record`);
  if (adoption.kind !== "record") return found;
  return find(new Set([...managedIds, ...adoption.old.map((a) => a.id)]));
}

function analysisFacts(analysis: FixtureAnalysis, input: WorkloadInput, windows: LifecycleWindows, now: Date): AnalysisFacts {
  const iso = (daysAgo: number): string => new Date(input.loadedAtMs - daysAgo * DAY_MS).toISOString();
  const listed: ListedAnalysis = {
    id: analysis.id,
    reference: analysis.reference,
    status: analysis.status,
    pipeline: { id: analysis.pipelineCode, code: analysis.pipelineCode },
    timeCreated: iso(analysis.createdDaysAgo),
    startDate: analysis.startDaysAgo === null ? null : iso(analysis.startDaysAgo),
  };
  const ageDays = analysisAgeDays(listed, now);
  const selects = fastqMatcher(input.settings.fastqPattern);
  let marker: AnalysisFacts["marker"] = "unknown";
  let basespaceProjectNames: string[] = [];
  let selectedFastqs = 0;
  for (const file of analysis.files) {
    if (file.path === "bsshoutput.json") {
      marker = "bssh";
      basespaceProjectNames = projectNamesOf(file.content ?? "{}");
    } else if (file.path === "_tags.json" && marker === "unknown") {
      marker = "ica";
    } else if (selects(file.path.slice(file.path.lastIndexOf("/") + 1))) {
      selectedFastqs += 1;
    }
  }
  return {
    analysis,
    listed,
    ageDays,
    aged: analysisStateOf(analysis.status) !== "pending" && isAged(ageDays, windows),
    marker,
    basespaceProjectNames,
    selectedFastqs,
  };
}

/** Where the simulator puts an analysis' outputs (it makes the folder even when there are no files). */
const folderPathOf = (analysis: FixtureAnalysis): string => analysis.outputFolderPath ?? `/ilmn-analyses/${analysis.reference}/`;

/** Aged and BSSH-managed, with a marker that can be downloaded: an ARCHIVED one cannot, so its projects stay unknown. */
const readsBsshMarker = (f: AnalysisFacts): boolean => f.aged && f.marker === "bssh" && f.analysis.outputStatus === "AVAILABLE";

/** `Projects.*.Name`, as the predecessor reads bsshoutput.json. */
function projectNamesOf(content: string): string[] {
  const parsed = JSON.parse(content) as { Projects?: Record<string, { Name?: string }> };
  return Object.values(parsed.Projects ?? {}).flatMap((p) => (p.Name ? [p.Name] : []));
}

function icaManaged(f: AnalysisFacts, hold: string | undefined): IcaManagedAnalysis {
  return {
    analysisId: f.analysis.id,
    reference: f.analysis.reference,
    ageDays: f.ageDays,
    // Only the number of actions matters here, so the analysis id stands in for the folder id.
    outputFolder: { id: f.analysis.id, path: folderPathOf(f.analysis), status: f.analysis.outputStatus },
    ...(hold === undefined ? {} : { hold }),
  };
}

/**
 * Cheap path first (plan/cheap-path.ts) as a first cycle applies it: bench cycles start from an empty
 * state directory, so the ledger has seen no answer yet — the first archived item is removed as it is,
 * the other restores wait for that answer (icaLifecycle, basespace trash-first.ts gatePlan).
 */
function firstAnswers(items: readonly PlanItem[], service: keyof typeof cheapPaths): PlanItem[] {
  return cheapPathFirst(items, { ...cheapPaths[service], answer: undefined }).items;
}

const cheapPaths = {
  ica: { restore: "unarchive", remove: "delete", assumption: "ica.delete-archived" },
  basespace: { restore: "restore", remove: "trash", assumption: "bs.trash-archived" },
} as const satisfies Record<string, Omit<CheapPathInput, "answer">>;

interface BasespaceWork {
  listings: Pick<Workload, "basespaceProjectsListed" | "agedDatasets" | "agedRuns" | "trashListed">;
  /** The plan's items as a first cycle sends them (cheap path first). */
  acted: PlanItem[];
  emptyTrash: boolean;
}

function basespaceWork(
  fixture: Fixture,
  facts: readonly AnalysisFacts[],
  settings: WorkloadSettings,
  windows: LifecycleWindows,
  elapsedDays: number,
  phase: Phase,
  budget: DeletionBudget,
): BasespaceWork {
  const bs = fixture.basespace;
  const token = bs.tokens[0];
  // The fixture's projects predate its analyses, so only the names matter here.
  const named = facts
    .filter(readsBsshMarker)
    .flatMap((f) => f.basespaceProjectNames.map((name) => ({ name, namedBy: { reference: "", finishedAtMs: Number.POSITIVE_INFINITY } })));
  const { projects } = resolveBasespaceProjects(named, bs.projects);
  const projectsById = new Map(bs.projects.map((p) => [p.id, p]));
  const inScope = new Set(projects.map((p) => p.id));
  const allDatasets: BasespaceItem[] = bs.datasets.map((d) => ({
      kind: "dataset",
      id: d.id,
      name: d.name,
      projectId: d.projectId,
      projectName: projectsById.get(d.projectId)?.name ?? "",
      ownerId: projectsById.get(d.projectId)?.ownerId ?? null,
      ageDays: d.createdDaysAgo + elapsedDays,
      sizeBytes: d.sizeBytes,
      isArchived: d.isArchived,
    }));
  const datasets = allDatasets.filter((d) => d.kind === "dataset" && inScope.has(d.projectId));
  const runs: BasespaceItem[] =
    settings.basespaceRuns === "none"
      ? []
      : selectRuns(bs.runs, settings.basespaceRuns, facts.map((f) => f.analysis.reference)).map((r) => ({
          kind: "run",
          id: r.id,
          name: r.name,
          experimentName: r.experimentName,
          status: r.status,
          ownerId: r.ownerId,
          ageDays: r.createdDaysAgo + elapsedDays,
          sizeBytes: r.sizeBytes,
          isArchived: r.isArchived,
        }));
  const scopes = gateBasespaceScopes(token?.scopes ?? []);
  const plan = planBasespaceLifecycle({
    items: [...datasets, ...runs],
    windows,
    restoresRequested: { datasetIds: new Set(), runIds: new Set() },
    budget: phase === "steady" ? unlimited() : budget,
    protect: emptyProtectList,
    scopes,
    currentUserId: token?.userId,
  });

  const acted = firstAnswers(plan.items, "basespace");
  // Steady: converged, so everything the lifecycle trashes (at once or after a restore) has left the listings.
  const trashed = phase === "steady" ? plan.items.filter((i) => i.action === "trash" || i.action === "restore") : acted.filter((i) => i.action === "trash");
  const gone = new Set(phase === "steady" ? trashed.map((i) => i.target.id) : []);
  const ours: TrashEntry[] = trashed.map((i) => ({ trashId: i.target.id, name: null, kind: "dataset", itemId: i.target.id }));
  const foreign: TrashEntry[] = bs.trash.map((t) => ({ trashId: t.trashId, name: t.name, kind: t.kind, itemId: t.itemId }));
  const listedAged = (item: BasespaceItem): boolean => !gone.has(item.id) && classifyAge(item.ageDays, windows) !== "young";
  const emptying = decideEmptyTrash({
    mode: settings.emptyTrash,
    trash: [...foreign, ...ours],
    trashedByUs: { datasetIds: new Set(ours.map((o) => o.trashId)), runIds: new Set() },
    protect: emptyProtectList,
    scopes,
    budget: deletionBudget(settings.deleteCap),
  }).empty;
  // Converged with an emptied trash: what is left is only what people trash afterwards (nothing here).
  const trashLeft = phase === "steady" && emptying ? { items: 0, foreign: 0 } : { items: foreign.length + ours.length, foreign: foreign.length };
  return {
    listings: {
      basespaceProjectsListed: named.length > 0 ? bs.projects.length : 0,
      agedDatasets: {
        perNamedProject: projects.map((p) => allDatasets.filter((d) => d.kind === "dataset" && d.projectId === p.id && listedAged(d)).length),
        allProjects: allDatasets.filter(listedAged).length,
      },
      agedRuns: settings.basespaceRuns === "none" ? null : runs.filter(listedAged).length,
      // The trash is only worth reading when something of ours may be in it.
      trashListed: settings.emptyTrash !== "never" && ours.length > 0 ? trashLeft : null,
    },
    acted,
    emptyTrash: phase !== "steady" && emptying,
  };
}

function countActions(items: readonly PlanItem[], actions: readonly string[]): number {
  return items.filter((item) => actions.includes(item.action)).length;
}
