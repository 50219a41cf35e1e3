import fc from "fast-check";
import { lifecycleWindows, type LifecycleWindows } from "../../src/orchestrator/plan/age.js";
import type { BasespaceItem } from "../../src/orchestrator/plan/plan-basespace-lifecycle.js";
import type { IcaManagedAnalysis } from "../../src/orchestrator/plan/plan-ica-lifecycle.js";

/** Random inputs for the planners' property tests, biased towards the window boundaries. */

export const windowsArb: fc.Arbitrary<LifecycleWindows> = fc
  .tuple(fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }), fc.integer({ min: 1, max: 200 }))
  .map(([archive, del]) => lifecycleWindows(archive === null ? null : Math.min(archive, del), del));

/** Whole days ± a millisecond or half a day, so generated ages land on and around the boundaries. */
const ageArb = fc
  .tuple(fc.integer({ min: -2, max: 260 }), fc.constantFrom(0, 0, -1 / 86_400_000, 1 / 86_400_000, 0.5))
  .map(([days, offset]) => days + offset);

const icaStatusArb = fc.constantFrom(
  "AVAILABLE",
  "AVAILABLE",
  "ARCHIVED",
  "ARCHIVED",
  "ARCHIVING",
  "UNARCHIVING",
  "DELETING",
  "PARTIAL",
  "SOMETHING_NEW",
);

export interface IcaScenario {
  analyses: IcaManagedAnalysis[];
  unarchiveRequested: Set<string>;
  protectEntries: string[];
}

export const icaScenarioArb: fc.Arbitrary<IcaScenario> = fc
  .array(
    fc.record({
      ageDays: ageArb,
      status: icaStatusArb,
      requested: fc.boolean(),
      protectHow: fc.constantFrom("none", "none", "none", "analysisId", "folderPath", "referenceGlob", "folderId"),
      sizeBytes: fc.option(fc.integer({ min: 0, max: 5e12 }), { nil: undefined }),
    }),
    { maxLength: 40 },
  )
  .map((rows) => {
    const analyses: IcaManagedAnalysis[] = [];
    const unarchiveRequested = new Set<string>();
    const protectEntries: string[] = [];
    rows.forEach((row, i) => {
      const reference = `2024${String(i).padStart(4, "0")}_LH00619_0013_B22CCFJLT4_a912e3_9d578d-BclConvert-${i}`;
      const analysis: IcaManagedAnalysis = {
        analysisId: `an-${i}`,
        reference,
        ageDays: row.ageDays,
        outputFolder: {
          id: `fol.${i}`,
          path: `/ilmn-analyses/${reference}/`,
          status: row.status,
          ...(row.sizeBytes === undefined ? {} : { sizeBytes: row.sizeBytes }),
        },
      };
      analyses.push(analysis);
      if (row.requested) unarchiveRequested.add(analysis.outputFolder.id);
      if (row.protectHow === "analysisId") protectEntries.push(analysis.analysisId);
      if (row.protectHow === "folderId") protectEntries.push(analysis.outputFolder.id);
      if (row.protectHow === "folderPath") protectEntries.push(analysis.outputFolder.path.slice(0, -1));
      if (row.protectHow === "referenceGlob") protectEntries.push(`2024${String(i).padStart(4, "0")}_LH?0619_*-BclConvert-${i}`);
    });
    return { analyses, unarchiveRequested, protectEntries };
  });

export interface BasespaceScenario {
  items: BasespaceItem[];
  restoredDatasets: Set<string>;
  restoredRuns: Set<string>;
  protectEntries: string[];
}

export const basespaceScenarioArb: fc.Arbitrary<BasespaceScenario> = fc
  .array(
    fc.record({
      kind: fc.constantFrom("dataset", "run"),
      ageDays: ageArb,
      isArchived: fc.boolean(),
      runStatus: fc.constantFrom(undefined, "Complete", "Failed", "Running", "stopped"),
      requested: fc.boolean(),
      protectHow: fc.constantFrom("none", "none", "none", "id", "nameGlob", "project"),
      ownerId: fc.constantFrom(undefined, null, "me", "me", "someone-else"),
    }),
    { maxLength: 40 },
  )
  .map((rows) => {
    const items: BasespaceItem[] = [];
    const restoredDatasets = new Set<string>();
    const restoredRuns = new Set<string>();
    const protectEntries: string[] = [];
    rows.forEach((row, i) => {
      const id = row.kind === "dataset" ? `ds.${i}` : `${i}`;
      const common = { id, ageDays: row.ageDays, sizeBytes: 1000 * i, isArchived: row.isArchived, ownerId: row.ownerId };
      const item: BasespaceItem =
        row.kind === "dataset"
          ? { ...common, kind: "dataset", name: `sample-${i}`, projectId: `p${i % 3}`, projectName: `Project ${i % 3}` }
          : { ...common, kind: "run", name: `run-${i}`, ...(row.runStatus === undefined ? {} : { status: row.runStatus }) };
      items.push(item);
      if (row.requested) (row.kind === "dataset" ? restoredDatasets : restoredRuns).add(id);
      if (row.protectHow === "id") protectEntries.push(id);
      if (row.protectHow === "nameGlob") protectEntries.push(`*-${i}`);
      if (row.protectHow === "project" && item.kind === "dataset") protectEntries.push(item.projectName);
    });
    return { items, restoredDatasets, restoredRuns, protectEntries };
  });

export const capArb = fc.integer({ min: 0, max: 30 });

export const scopesArb = fc.subarray(["READ GLOBAL", "BROWSE GLOBAL", "MOVETOTRASH GLOBAL", "EMPTY TRASH", "WRITE GLOBAL"]);
