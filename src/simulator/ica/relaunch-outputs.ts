import type { ObjectStore } from "../context.js";
import type { AnalysisRecord } from "./analysis-representation.js";
import { FAILED_RUN_LOG } from "./assumptions.js";
import { objectKeyOf } from "./data-item.js";
import type { DataStore } from "./data-store.js";
import { type FileToPlace, fileToPlace, placeFile } from "./fixture-loader.js";

/** A file a created analysis writes, its path relative to the analysis' output folder. */
export interface OutputFile extends FileToPlace {
  path: string;
}

export interface RelaunchOutputs {
  outcome: "SUCCEEDED" | "FAILED";
  files: OutputFile[];
}

/** What the origin's output folder holds now (its own files only, not data linked in), relative paths. */
export function currentOutput(store: DataStore, objects: ObjectStore, origin: AnalysisRecord): OutputFile[] {
  const view = store.view(origin.projectId);
  const folder = view.atPath(origin.outputFolderPath);
  if (folder?.owningProjectId !== origin.projectId) return [];
  return [...store.subtree(view, folder)]
    .filter((d) => d.dataType === "FILE" && d.owningProjectId === origin.projectId)
    .map((d) => {
      const content = d.hasContent ? objects.get(objectKeyOf(d)) : undefined;
      return { path: d.path.slice(folder.path.length), sizeBytes: d.sizeBytes ?? 0, ...(content ? { content } : {}) };
    });
}

/**
 * How a relaunch of `origin` ends and what it writes: on SUCCEEDED the fixture's `requeueFiles`, else a
 * copy of the origin's output as it is now; on FAILED the failed shape — the log plus the marker files
 * (top-level files) of that same output, so the tool classifies it like its origin. No origin (an
 * analysis of unrelated data): SUCCEEDED with an empty output folder.
 */
export function relaunchOutputs(store: DataStore, objects: ObjectStore, origin: AnalysisRecord | undefined): RelaunchOutputs {
  if (!origin?.relaunch) return { outcome: "SUCCEEDED", files: [] };
  const { outcome, files } = origin.relaunch;
  const output = files ? files.map((f) => ({ path: f.path, ...fileToPlace(f) })) : currentOutput(store, objects, origin);
  if (outcome === "SUCCEEDED") return { outcome, files: output };
  const markers = output.filter((f) => !f.path.includes("/"));
  return { outcome, files: [...markers, { ...FAILED_RUN_LOG }] };
}

/** Creates the files under the analysis' output folder, AVAILABLE, created at `timeMs`. */
export function writeOutputs(store: DataStore, objects: ObjectStore, analysis: AnalysisRecord, files: readonly OutputFile[], timeMs: number): void {
  for (const { path, ...file } of files) {
    const where = { projectId: analysis.projectId, path: analysis.outputFolderPath + path.replace(/^\/+/, ""), timeCreatedMs: timeMs };
    placeFile(store, objects, file, { ...where, status: "AVAILABLE", folderStatus: "AVAILABLE" });
  }
}
