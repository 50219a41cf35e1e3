import type { ObjectStore } from "../context.js";
import type { FixtureFile, IcaFixture } from "../fixtures/format.js";
import type { AnalysisRecord } from "./analysis-representation.js";
import { ANALYSIS_INPUT_CODE, COSMETIC } from "./assumptions.js";
import { type DataStatus, objectKeyOf, parentPathOf } from "./data-item.js";
import type { DataStore } from "./data-store.js";
import type { Directory } from "./directory.js";
import { stableHex } from "./ids.js";

const dayMs = 86_400_000;

export interface Placement {
  projectId: string;
  path: string;
  status: DataStatus;
  timeCreatedMs: number;
  /** Status of folders created on the way (inside an analysis' output folder: the output status). */
  folderStatus: DataStatus;
}

/** A file to create: its size, and its bytes when they matter (marker files). */
export interface FileToPlace {
  sizeBytes: number;
  content?: Buffer;
}

export const fileToPlace = (file: FixtureFile): FileToPlace =>
  file.content === undefined ? { sizeBytes: file.sizeBytes } : { sizeBytes: file.sizeBytes, content: Buffer.from(file.content, "utf8") };

/** Creates one file (and missing parent folders); its content, if any, goes to the object store. */
export function placeFile(store: DataStore, objects: ObjectStore, file: FileToPlace, where: Placement): void {
  if (where.path.endsWith("/")) throw new Error(`ICA fixture: file path ${where.path} ends with "/"; fixture files are files, folders are implied`);
  const { content } = file;
  const item = store.create(
    {
      projectId: where.projectId,
      path: where.path,
      dataType: "FILE",
      status: where.status,
      timeCreatedMs: where.timeCreatedMs,
      sizeBytes: content?.length ?? file.sizeBytes,
      hasContent: content !== undefined,
    },
    { status: where.folderStatus, timeCreatedMs: where.timeCreatedMs },
  );
  // Marker files (bsshoutput.json, _tags.json) must be downloadable through presigned URLs.
  if (content) objects.put(objectKeyOf(item), content);
}

/**
 * Loads the fixture's analyses and files into the data store (one bulk load, indexes sorted once).
 * Analysis files are relative to the output folder (`/ilmn-analyses/<reference>/` by default), and the
 * analysis' `outputStatus` applies to the folder and everything under it.
 */
export function loadIcaFixture(fixture: IcaFixture, store: DataStore, directory: Directory, objects: ObjectStore, loadTimeMs: number): AnalysisRecord[] {
  const daysAgo = (days: number): number => loadTimeMs - days * dayMs;
  const requireProject = (projectId: string, what: string): void => {
    if (!directory.project(projectId)) throw new Error(`ICA fixture: ${what} names project ${projectId}, which is not in ica.projects`);
  };
  const analyses: AnalysisRecord[] = [];
  const seen = new Set<string>();
  store.loadInBulk(() => {
    for (const a of fixture.analyses) {
      requireProject(a.projectId, `analysis ${a.id}`);
      if (seen.has(a.id)) throw new Error(`ICA fixture: analysis id ${a.id} appears twice`);
      seen.add(a.id);
      const outputFolderPath = a.outputFolderPath ?? `/ilmn-analyses/${a.reference}/`;
      const timeCreatedMs = daysAgo(a.createdDaysAgo);
      store.ensureFolders(a.projectId, parentPathOf(outputFolderPath), { status: "AVAILABLE", timeCreatedMs });
      store.ensureFolders(a.projectId, outputFolderPath, { status: a.outputStatus, timeCreatedMs });
      for (const file of a.files) {
        placeFile(store, objects, fileToPlace(file), {
          projectId: a.projectId,
          path: outputFolderPath + file.path.replace(/^\/+/, ""),
          status: a.outputStatus === "AVAILABLE" ? file.status : a.outputStatus,
          timeCreatedMs: daysAgo(file.createdDaysAgo ?? a.endDaysAgo ?? a.createdDaysAgo),
          folderStatus: a.outputStatus,
        });
      }
      analyses.push({
        id: a.id,
        projectId: a.projectId,
        reference: a.reference,
        userReference: a.userReference,
        pipelineCode: a.pipelineCode,
        status: a.status,
        timeCreatedMs,
        startMs: a.startDaysAgo === null ? null : daysAgo(a.startDaysAgo),
        endMs: a.endDaysAgo === null ? null : daysAgo(a.endDaysAgo),
        outputFolderPath,
        tags: { technicalTags: [], userTags: [], referenceTags: [] },
        pipelineLanguage: a.pipelineLanguage,
        inputs: [fixtureInput(a)],
        configurations: COSMETIC.analysisConfigurations,
        originId: a.id,
        relaunch: { outcome: a.requeueOutcome, ...(a.requeueFiles ? { files: a.requeueFiles } : {}) },
      });
    }
    for (const file of fixture.files) {
      requireProject(file.projectId, `file ${file.path}`);
      if (!file.path.startsWith("/")) throw new Error(`ICA fixture: project file path ${file.path} must be absolute (start with "/")`);
      const timeCreatedMs = daysAgo(file.createdDaysAgo ?? 0);
      placeFile(store, objects, fileToPlace(file), { projectId: file.projectId, path: file.path, status: file.status, timeCreatedMs, folderStatus: "AVAILABLE" });
    }
  });
  return analyses;
}

/** The input a fixture analysis reports (see ANALYSIS_INPUT_CODE): one folder, named after the analysis' user reference. */
function fixtureInput(a: IcaFixture["analyses"][number]): AnalysisRecord["inputs"][number] {
  const dataId = `fol.${stableHex("analysis-input", a.id)}`;
  return { code: ANALYSIS_INPUT_CODE, analysisData: [{ dataId, name: a.userReference, dataType: "FOLDER", formatCode: "UNKNOWN" }], externalData: [] };
}
