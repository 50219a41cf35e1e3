import { describe, expect, it } from "vitest";
import { lowerBound, lowerBoundTerms, type Workload } from "../../bench/lower-bound.js";
import { workloadFromFixture } from "../../bench/workload.js";
import { settingDefaults, settingsSchema } from "../../src/config/index.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";


const quiet: Workload = {
  projectLookups: 2,
  sourceAnalyses: 2_500,
  basespaceTokens: 1,
  basespaceProjectsListed: 40,
  agedDatasets: { perNamedProject: [10, 2_000], allProjects: 3_000 },
  agedRuns: 0,
  trashListed: null,
  newAnalyses: [],
  unclassifiedAged: 0,
  bsshMarkersToRead: 0,
  icaActions: 0,
  basespaceArchiveIds: 0,
  basespaceRestoreIds: 0,
  basespaceTrashItems: 0,
  emptyTrash: false,
  dryRun: false,
};

describe("lowerBoundTerms", () => {
  it("reads every listing in the largest pages, an empty one included, and datasets the cheaper way", () => {
    const terms = lowerBoundTerms(quiet);
    expect(terms).toMatchObject({ projects: 2, analysisPages: 3, basespaceToken: 1, basespaceProjects: 1, runPages: 1, trashPages: 0 });
    // Per project: 1 + 2 pages; across all projects: 3 pages.
    expect(terms.datasetPages).toBe(3);
    expect(lowerBoundTerms({ ...quiet, agedDatasets: { perNamedProject: [5], allProjects: 3_000 } }).datasetPages).toBe(1);
    expect(lowerBound(quiet)).toBe(2 + 3 + 1 + 1 + 3 + 1);
  });

  it("charges a new analysis its outputs and manifest, and its links a share of batches and verification pages", () => {
    const w = {
      ...quiet,
      newAnalyses: [
        { selectedFastqs: 24_000, folderPath: "/ilmn-analyses/r1/" },
        { selectedFastqs: 1_200, folderPath: "/ilmn-analyses/r2/" },
        { selectedFastqs: 0, folderPath: "/ilmn-analyses/r3/" },
      ],
      unclassifiedAged: 1,
      bsshMarkersToRead: 1,
    };
    expect(lowerBoundTerms(w)).toMatchObject({
      outputs: 4,
      outputFolders: 1,
      // The three folders in one request, whose pages hold the 25,200 FASTQs; the destination looked at
      // under the two with FASTQs before linking.
      fastqListing: 26,
      destinationCheck: 1,
      bsshMarkers: 2,
      linkBatches: 2,
      linkPolls: 2,
      // Without MGI FASTQs, nothing is linked and no manifest is written.
      manifests: 6,
      // Each uploaded manifest is read back.
      manifestReadBacks: 2,
      verification: 26,
    });
  });

  it("batches BaseSpace archive and restore by 250 ids, trashes one call each, and a dry run acts on nothing", () => {
    const w = { ...quiet, icaActions: 4, basespaceArchiveIds: 251, basespaceRestoreIds: 1, basespaceTrashItems: 7, emptyTrash: true, trashListed: { items: 3_000, foreign: 0 } };
    expect(lowerBoundTerms(w)).toMatchObject({ icaLifecycle: 4, basespaceLifecycle: 2 + 1 + 7 + 1, trashPages: 3 });
    // Each irreversible call on one item is preceded by a read of that item: its own line item.
    expect(lowerBoundTerms(w)).toMatchObject({ icaRereads: 4, trashRereads: 7, bulkRereads: 2 + 1 });
    expect(lowerBoundTerms({ ...w, trashListed: { items: 3_000, foreign: 1 } }).trashPages).toBe(1);
    expect(lowerBoundTerms({ ...w, newAnalyses: [{ selectedFastqs: 3, folderPath: "/ilmn-analyses/r1/" }], dryRun: true })).toMatchObject({
      outputs: 1,
      // A dry run plans the selection and the destination check, and links nothing.
      fastqListing: 1,
      destinationCheck: 1,
      linkBatches: 0,
      manifests: 0,
      manifestReadBacks: 0,
      verification: 0,
      icaLifecycle: 0,
      icaRereads: 0,
      basespaceLifecycle: 0,
      bulkRereads: 0,
      trashRereads: 0,
    });
  });
});

describe("workloadFromFixture on demo (docs/simulator.md lists what it holds)", () => {
  const fixture = namedFixture("demo");
  const settingsWith = (adopt: "deliver" | "record" | undefined) =>
    settingsSchema.parse({ ...settingDefaults, source: { name: "s" }, destination: { name: "d" }, apiKey: "k", basespaceAccessToken: "t", adopt });
  const settings = settingsWith("deliver");
  const at = (phase: "first" | "dry" | "steady", s = settings) => workloadFromFixture({ fixture, phase, loadedAtMs: 0, nowMs: 0, settings: s });

  it("first cycle (adopt deliver): the nine SUCCEEDED BCLConvert are new and held, the aged ones are classified", () => {
    const w = at("first");
    expect(w.newAnalyses.map((a) => a.selectedFastqs).sort((a, b) => a - b)).toEqual([0, 2, 2, 2, 2, 2, 3, 4, 8]);
    // a14 (DRAGEN) and a16 (aborted) are aged but not new.
    expect(w.unclassifiedAged).toBe(2);
    // a11 and a14 hold an AVAILABLE bsshoutput.json.
    expect(w.bsshMarkersToRead).toBe(2);
    // a10, a12 and a13 are delivered this cycle, so held from archive and delete (deliveryHolds).
    expect(w.icaActions).toBe(0);
    expect(w.agedDatasets.perNamedProject).toEqual([4, 3]);
    expect({ archive: w.basespaceArchiveIds, restore: w.basespaceRestoreIds, trash: w.basespaceTrashItems, empty: w.emptyTrash }).toEqual({
      archive: 5,
      // Cheap path first on a fresh ledger: of the two archived datasets past days_to_delete, one is
      // trashed as it is and the other waits for that answer; nothing is restored.
      restore: 0,
      trash: 6,
      // The trash holds M-000-999-test-library, which a person put there.
      empty: false,
    });
  });

  it("first cycle (adopt record): the old ones are recorded undelivered, so only the young are new and the old are acted on", () => {
    const w = at("first", settingsWith("record"));
    expect(w.newAnalyses.map((a) => a.selectedFastqs).sort((a, b) => a - b)).toEqual([0, 2, 3, 8]);
    // a9, a10, a12, a13, a15 are read to classify them, with a14 and a16.
    expect(w.unclassifiedAged).toBe(7);
    // a10 archive, a12 delete, a13 (ARCHIVED) deleted as it is (cheap path first).
    expect(w.icaActions).toBe(3);
  });

  it("refuses as the cycle does: old analyses, an empty table and no adopt setting", () => {
    expect(() => at("first", settingsWith(undefined))).toThrow(/adoption guard would refuse/);
  });

  it("steady cycle: only the listings remain, without what the lifecycle trashed", () => {
    const w = at("steady");
    expect(lowerBoundTerms(w)).toMatchObject({ outputs: 0, linkBatches: 0, icaLifecycle: 0, basespaceLifecycle: 0 });
    expect(w.agedDatasets.perNamedProject).toEqual([1, 3]);
    expect(w.trashListed).toEqual({ items: 8, foreign: 1 });
    expect(lowerBound(w)).toBe(8);
  });

  it("dry run: reads what the first cycle reads and writes nothing", () => {
    // 25 links: one batch, one poll, one verification page; eight manifests and their read-backs;
    // one BaseSpace archive call after a read of its items, six trash moves each after a read of its item.
    expect(lowerBound(at("dry"))).toBe(lowerBound(at("first")) - 3 - 8 * 3 - 8 - (1 + 6) - 1 - 6);
  });
});

describe("folder listings", () => {
  it("take as many requests as the product's query-length batching makes, one page at least each", () => {
    // ~130-character paths: a 6,000-character query holds 40-odd of them.
    const many = Array.from({ length: 100 }, (_, i) => ({ selectedFastqs: 1, folderPath: `/ilmn-analyses/${"x".repeat(100)}-${i}/` }));
    const terms = lowerBoundTerms({ ...quiet, newAnalyses: many });
    expect(terms.fastqListing).toBe(3);
    expect(terms.destinationCheck).toBe(3);
    expect(terms.verification).toBe(3);
  });
});
