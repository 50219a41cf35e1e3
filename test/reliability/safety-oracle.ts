// Judges the requests one cycle sent against the safety rules, from the random world's model only: it
// shares no code with the planner it checks (its own age arithmetic, scope rules and protect matching).
import type { SeenRequest } from "./api-proxy.js";
import { DESTINATION_ID, outputFolderOf, SOURCE_ID, type ModelAnalysis, type ModelBsItem, type World } from "./random-world.js";

const DAY_MS = 86_400_000;

export interface IcaDataEntry {
  projectId: string;
  path: string;
}

export interface CycleObservation {
  /** Requests the tool sent during the cycle, as the proxy saw them. */
  requests: readonly SeenRequest[];
  /** Simulated time the fixture was loaded at (its "days ago" count from there) and at the end of the cycle. */
  loadedAtMs: number;
  endedAtMs: number;
  /** ICA data ids of every project, listed before the cycle. */
  data: ReadonlyMap<string, IcaDataEntry>;
  /**
   * Index in `requests` of the request right after which the world's person acted (-1: in an earlier
   * cycle); null when they did not act (no person, or their action was refused).
   */
  personActedAfter?: number | null;
}

type Capped = "unarchive" | "delete" | "restore" | "trash";

/** What a mutating request does, for the coverage counts (GETs and read-only POSTs give null). */
export function requestKind(request: Pick<SeenRequest, "method" | "path">): string | null {
  const line = `${request.method} ${request.path}`;
  if (isReadOnly(request)) return null;
  const ica = /^POST \/ica\/rest\/api\/projects\/[^/]+\/(?:data\/[^/:]+:)?(.*)$/.exec(line);
  if (ica) return `ica ${ica[1]}`;
  if (/^DELETE \/v2\/(datasets|runs)\//.test(line)) return "basespace trash";
  return `basespace ${line}`;
}

function isReadOnly(request: Pick<SeenRequest, "method" | "path">): boolean {
  return request.method === "GET" || /:search$|:createDownloadUrl$|^\/ica\/rest\/api\/tokens$/.test(request.path);
}

/** Every rule one cycle broke, one line each; empty when it kept them all. */
export function safetyViolations(world: World, seen: CycleObservation): string[] {
  const { settings } = world;
  const violations: string[] = [];
  const elapsedDays = (seen.endedAtMs - seen.loadedAtMs) / DAY_MS;
  // Age at the END of the cycle: the oldest the item can have been when it was acted on, so an
  // action flagged here happened to something younger than its window for certain.
  const ageOf = (daysAgo: number) => daysAgo + elapsedDays;
  const analysisAge = (a: ModelAnalysis) => ageOf(a.startDaysAgo ?? a.createdDaysAgo);
  const source = world.analyses.filter((a) => a.projectId === SOURCE_ID);
  const protectedBy = (keys: string[]) => settings.protect.find((entry) => keys.some((key) => globMatches(entry, key)));
  // Per item, not per request: a call answered 429 and sent again (or a refused delete then retried) spends the cap once.
  const capped = new Set<string>();

  const checkWindow = (what: string, action: "archive" | Capped, age: number) => {
    if (action === "archive") {
      if (settings.daysToArchive === null) violations.push(`${what}: archived although archiving is off`);
      else if (age < settings.daysToArchive) violations.push(`${what}: archived at ${age.toFixed(4)} days, younger than days_to_archive ${settings.daysToArchive}`);
    } else if (age < settings.daysToDelete) {
      violations.push(`${what}: ${action} at ${age.toFixed(4)} days, younger than days_to_delete ${settings.daysToDelete}`);
    }
    if (action !== "archive") capped.add(what);
  };

  const icaLifecycle = (projectId: string, dataId: string, action: "archive" | Capped) => {
    const entry = seen.data.get(dataId);
    const what = `ICA ${action} of ${entry?.path ?? dataId}`;
    if (projectId !== SOURCE_ID || entry?.projectId !== SOURCE_ID) return violations.push(`${what}: outside the source project`);
    const owner = source.find((a) => entry.path.startsWith(outputFolderOf(a)));
    if (!owner) return violations.push(`${what}: not in the output folder of a source-project analysis`);
    if (owner.marker !== "ica") violations.push(`${what}: ${owner.reference} is not ICA-managed (marker ${owner.marker})`);
    const guard = protectedBy([owner.id, owner.reference]);
    if (guard) violations.push(`${what}: protected by "${guard}"`);
    // The action takes the whole folder, so a protected file anywhere inside it forbids it too.
    const folder = outputFolderOf(owner);
    const inside = [...seen.data].filter(([, e]) => e.projectId === SOURCE_ID && e.path.startsWith(folder));
    const heldBy = protectedBy([...owner.fastqs, ...inside.flatMap(([id, e]) => [id, e.path.split("/").at(-1) ?? ""])]);
    if (heldBy) violations.push(`${what}: holds a file protected by "${heldBy}"`);
    checkWindow(what, action, analysisAge(owner));
    return undefined;
  };

  const namedProjects = new Set(source.filter((a) => a.marker === "bssh").flatMap((a) => a.bsProjects));
  const relatedRuns = new Set(source.map((a) => a.runFolder).filter((f): f is string => f !== null));
  const bsLifecycle = (item: ModelBsItem | undefined, id: string, action: "archive" | Capped) => {
    const what = `BaseSpace ${action} of ${item?.kind ?? "item"} ${item?.name ?? id}`;
    if (!item) return violations.push(`${what}: not an item of the fixture`);
    if (item.kind === "dataset" && !namedProjects.has(item.projectName ?? "")) {
      violations.push(`${what}: project ${item.projectName} is not named by a source-project analysis`);
    }
    if (item.kind === "run" && !(settings.basespaceRuns === "all" || (settings.basespaceRuns === "related" && relatedRuns.has(item.name)))) {
      violations.push(`${what}: outside basespace_runs=${settings.basespaceRuns}`);
    }
    const guard = protectedBy([item.id, item.name]);
    if (guard) violations.push(`${what}: protected by "${guard}"`);
    checkWindow(what, action, ageOf(item.createdDaysAgo));
    return undefined;
  };
  const bsById = new Map(world.bsItems.map((item) => [item.id, item]));

  for (const request of seen.requests) {
    if (isReadOnly(request)) continue;
    const line = `${request.method} ${request.path}`;
    if (settings.dryRun) {
      violations.push(`dry run sent ${line}`);
      continue;
    }
    const ica = /^POST \/ica\/rest\/api\/projects\/([^/]+)\/(.*)$/.exec(line);
    const lifecycle = ica ? /^data\/([^/:]+):(archive|unarchive|delete)$/.exec(ica[2] ?? "") : null;
    if (ica && lifecycle) icaLifecycle(ica[1] ?? "", lifecycle[1] ?? "", lifecycle[2] as "archive" | Capped);
    else if (ica && ica[2] === "dataLinkingBatch") checkLinks(ica[1] ?? "", request.body);
    else if (ica && (ica[2] === "data:createFile" || /^data\/[^/]+:createUploadUrl$/.test(ica[2] ?? ""))) {
      if (ica[1] !== DESTINATION_ID) violations.push(`${line}: a manifest outside the destination project`);
      if (ica[2] === "data:createFile" && !request.body.includes("/fastq_manifests/")) violations.push(`${line}: not under /fastq_manifests/`);
    } else if (line === "POST /v2/archive" || line === "POST /v2/restore") {
      const body = JSON.parse(request.body) as { DatasetIds?: string[]; RunIds?: string[] };
      const action = line.endsWith("archive") ? "archive" : "restore";
      for (const id of [...(body.DatasetIds ?? []), ...(body.RunIds ?? [])]) bsLifecycle(bsById.get(id), id, action);
    } else if (/^DELETE \/v2\/(datasets|runs)\/[^/]+$/.test(line)) {
      const id = decodeURIComponent(request.path.split("/").at(-1) ?? "");
      bsLifecycle(bsById.get(id), id, "trash");
    } else if (line === "DELETE /v2/trash") {
      if (settings.emptyTrash === "never") violations.push("emptied the trash although empty_trash=never");
      if (settings.emptyTrash === "own-only" && world.handTrashed > 0) violations.push("emptied a trash holding items trashed by hand (empty_trash=own-only)");
    } else {
      violations.push(`unexpected mutating request ${line}`);
    }
  }
  violations.push(...peopleViolations(world, seen), ...blindReplays(seen.requests));
  if (capped.size > settings.deleteCap) violations.push(`${capped.size} deletions/unarchives/restores/trash moves, more than delete_cap ${settings.deleteCap}`);
  return violations;

  function checkLinks(projectId: string, body: string): void {
    if (projectId !== DESTINATION_ID) violations.push(`linking into ${projectId}, not the destination project`);
    const items = (JSON.parse(body) as { items: { dataId: string }[] }).items;
    for (const { dataId } of items) {
      const entry = seen.data.get(dataId);
      const owner = entry ? source.find((a) => entry.path.startsWith(outputFolderOf(a))) : undefined;
      const name = entry?.path.split("/").at(-1) ?? dataId;
      if (!entry || entry.projectId !== SOURCE_ID || !owner) violations.push(`linked ${entry?.path ?? dataId}: not an output of a source-project analysis`);
      else if (owner.status !== "SUCCEEDED" || !/bcl.*convert/i.test(owner.pipelineCode)) violations.push(`linked ${entry.path}: not from a SUCCEEDED BCLConvert analysis`);
      else if (!name.startsWith("M") || !name.endsWith(".fastq.gz")) violations.push(`linked ${entry.path}: not an MGI FASTQ`);
    }
  }
}

/**
 * People act alongside the tool: after a person trashed a dataset by hand, an `own-only` trash holds
 * something not ours and must not be emptied, and the dataset must not be archived, restored or trashed
 * (its basis changed: whatever the tool listed before, it is in the trash now); a dataset a person
 * restored from the trash is their decision and must not be trashed, archived or restored again.
 */
function peopleViolations(world: World, seen: CycleObservation): string[] {
  const person = world.person;
  const after = seen.personActedAfter;
  if (!person || after === null || after === undefined || world.settings.dryRun) return [];
  const violations: string[] = [];
  for (const request of seen.requests.slice(after + 1)) {
    const line = `${request.method} ${request.path}`;
    if (person.kind === "trash" && line === "DELETE /v2/trash" && world.settings.emptyTrash === "own-only") {
      violations.push(`emptied the trash after a person trashed ${person.itemId} by hand (empty_trash=own-only)`);
    }
    const touches =
      line === `DELETE /v2/datasets/${person.itemId}` ||
      ((line === "POST /v2/archive" || line === "POST /v2/restore") && request.body.includes(`"${person.itemId}"`));
    if (person.kind === "restore" && touches) violations.push(`${line} on ${person.itemId}, which a person had restored from the trash`);
    if (person.kind === "trash" && touches) violations.push(`${line} on ${person.itemId}, which a person had moved to the trash`);
  }
  return violations;
}

/** An irreversible request; the GETs that count as reading its target again. */
function irreversibleTarget(request: SeenRequest): RegExp | null {
  const line = `${request.method} ${request.path}`;
  const ica = /^POST (\/ica\/rest\/api\/projects\/[^/]+\/data)\/[^/:]+:(?:archive|unarchive|delete)$/.exec(line);
  if (ica) return new RegExp(`^GET ${escape(ica[1] ?? "")}(/|$)`);
  const item = /^DELETE (\/v2\/(?:datasets|runs)\/[^/]+)$/.exec(line);
  if (item) return new RegExp(`^GET ${escape(item[1] ?? "")}$`);
  if (line === "DELETE /v2/trash") return /^GET \/v2\/trash$/;
  if (line === "POST /v2/archive" || line === "POST /v2/restore") return /^GET \/v2\//;
  return null;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** No irreversible request is sent again, identical, without its target being read in between. */
function blindReplays(requests: readonly SeenRequest[]): string[] {
  const violations: string[] = [];
  for (const [j, request] of requests.entries()) {
    const reads = irreversibleTarget(request);
    if (!reads) continue;
    const same = (r: SeenRequest) => r.method === request.method && r.path === request.path && r.body === request.body;
    const i = requests.slice(0, j).findLastIndex(same);
    if (i < 0) continue;
    if (!requests.slice(i + 1, j).some((r) => reads.test(`${r.method} ${r.path}`))) {
      violations.push(`${request.method} ${request.path} replayed without reading its target again`);
    }
  }
  return violations;
}

/**
 * The two protect-list forms the random worlds use, as the protect list documents them (matching
 * ignores case): an exact id or name, or `prefix*`.
 */
function globMatches(pattern: string, key: string): boolean {
  const [p, k] = [pattern.toLowerCase(), key.toLowerCase()];
  return p.endsWith("*") ? k.startsWith(p.slice(0, -1)) : p === k;
}
