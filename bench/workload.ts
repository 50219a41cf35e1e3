import type { Settings } from "../src/config/index.js";
import {
  DAY_MS,
  classifyAge,
  decideEmptyTrash,
  deletionBudget,
  emptyProtectList,
  fastqMatcher,
  gateBasespaceScopes,
  lifecycleWindows,
  planBasespaceLifecycle,
  planIcaLifecycle,
  resolveBasespaceProjects,
  selectRuns,
  type BasespaceItem,
  type DeletionBudget,
  type IcaManagedAnalysis,
  type LifecyclePlan,
  type LifecycleWindows,
  type TrashEntry,
} from "../src/orchestrator/plan/index.js";
import type { Fixture } from "../src/simulator/index.js";
import { isManageable, sourceAnalyses, type FixtureAnalysis } from "./fixture-analyses.js";
import type { NewAnalysisWork, Workload } from "./lower-bound.js";

/**
 * The oracle behind the lower bound: what a cycle must read and do, derived from the fixture alone (no
 * API call) with the planning core's own rules (age windows, FASTQ selection, lifecycle decisions, the
 * deletion cap), so the bound and the cycle agree on *what* is done and differ only in *how many calls*.
 */

/**
 * `first` and `dry`: the fixture as loaded, empty journal, the managed table holding `managedIds`.
 * `steady`: after cycles have converged — every SUCCEEDED BCLConvert managed, every aged analysis
 * classified, every lifecycle action done — so only the listings remain.
 */
export type Phase = "first" | "dry" | "steady";

type WorkloadSettings = Pick<
  Settings,
  "daysToArchive" | "daysToDelete" | "deleteCap" | "basespaceRuns" | "emptyTrash" | "fastqPattern" | "bclConvertPattern"
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

interface AnalysisFacts {
  analysis: FixtureAnalysis;
  ageDays: number;
  isNew: boolean;
  aged: boolean;
  marker: "bssh" | "ica" | "unknown";
  basespaceProjectNames: string[];
  selectedFastqs: number;
}

const unlimited = (): DeletionBudget => deletionBudget(Number.MAX_SAFE_INTEGER);

export function workloadFromFixture(input: WorkloadInput): Workload {
  const { fixture, settings, phase } = input;
  const windows = lifecycleWindows(settings.daysToArchive, settings.daysToDelete);
  const elapsedDays = (input.nowMs - input.loadedAtMs) / DAY_MS;
  const facts = sourceAnalyses(fixture).map((a) => analysisFacts(a, input, windows, elapsedDays));

  const ica = planIcaLifecycle({
    analyses: facts.filter((f) => f.aged && f.marker === "ica").map(icaManaged),
    windows,
    unarchiveRequested: new Set(),
    budget: phase === "steady" ? unlimited() : deletionBudget(settings.deleteCap),
    protect: emptyProtectList,
  });
  const basespace = basespaceWork(fixture, facts, settings, windows, elapsedDays, phase, ica.budget);

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
  const newAnalyses: NewAnalysisWork[] = facts.filter((f) => f.isNew).map((f) => ({ selectedFastqs: f.selectedFastqs }));
  return {
    ...base,
    newAnalyses,
    unclassifiedAged: facts.filter((f) => f.aged && !f.isNew).length,
    bsshMarkersToRead: facts.filter(readsBsshMarker).length,
    icaActions: countActions(ica, ["archive", "unarchive", "delete"]),
    basespaceArchiveIds: countActions(basespace.plan, ["archive"]),
    basespaceRestoreIds: countActions(basespace.plan, ["restore"]),
    basespaceTrashItems: countActions(basespace.plan, ["trash"]),
    emptyTrash: basespace.emptyTrash,
  };
}

function analysisFacts(
  analysis: FixtureAnalysis,
  input: WorkloadInput,
  windows: LifecycleWindows,
  elapsedDays: number,
): AnalysisFacts {
  const { settings, phase } = input;
  const ageDays = (analysis.startDaysAgo ?? analysis.createdDaysAgo) + elapsedDays;
  const selects = fastqMatcher(settings.fastqPattern);
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
    ageDays,
    isNew: phase !== "steady" && isManageable(analysis, settings.bclConvertPattern) && !(input.managedIds?.has(analysis.id) ?? false),
    aged: classifyAge(ageDays, windows) !== "young",
    marker,
    basespaceProjectNames,
    selectedFastqs,
  };
}

/** Aged and BSSH-managed, with a marker that can be downloaded: an ARCHIVED one cannot, so its projects stay unknown. */
const readsBsshMarker = (f: AnalysisFacts): boolean => f.aged && f.marker === "bssh" && f.analysis.outputStatus === "AVAILABLE";

/** `Projects.*.Name`, as the predecessor reads bsshoutput.json. */
function projectNamesOf(content: string): string[] {
  const parsed = JSON.parse(content) as { Projects?: Record<string, { Name?: string }> };
  return Object.values(parsed.Projects ?? {}).flatMap((p) => (p.Name ? [p.Name] : []));
}

function icaManaged(f: AnalysisFacts): IcaManagedAnalysis {
  return {
    analysisId: f.analysis.id,
    reference: f.analysis.reference,
    ageDays: f.ageDays,
    // Only the number of actions matters here, so the analysis id stands in for the folder id.
    outputFolder: { id: f.analysis.id, path: f.analysis.outputFolderPath ?? `/ilmn-analyses/${f.analysis.reference}/`, status: f.analysis.outputStatus },
  };
}

interface BasespaceWork {
  listings: Pick<Workload, "basespaceProjectsListed" | "agedDatasets" | "agedRuns" | "trashListed">;
  plan: LifecyclePlan;
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

  // Steady: converged, so everything the lifecycle trashes (at once or after a restore) has left the listings.
  const trashed = plan.items.filter((i) => i.action === "trash" || (phase === "steady" && i.action === "restore"));
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
    plan,
    emptyTrash: phase !== "steady" && emptying,
  };
}

function countActions(plan: LifecyclePlan, actions: readonly string[]): number {
  return plan.items.filter((item) => actions.includes(item.action)).length;
}
