// Small random worlds for the safety properties: a fixture (ICA analyses in the source project and in a
// neighbouring one, BaseSpace projects, datasets, runs and a trash) plus the settings of one run, and a
// model of both that the oracle (safety-oracle.ts) judges the tool's requests against.
import fc from "fast-check";
import type { FixtureInput } from "../../src/simulator/fixtures/format.js";
import { FULL_SCOPES } from "../../src/simulator/fixtures/identities.js";
import { reliabilityApiKey, reliabilityToken } from "./secrets.js";

export const SOURCE_ID = "5a5a5a5a-0000-4000-8000-00000000000a";
export const DESTINATION_ID = "6b6b6b6b-0000-4000-8000-00000000000b";
/** Same tenant, same key: visible to the tool, never its business. */
const OTHER_ID = "7c7c7c7c-0000-4000-8000-00000000000c";
export const SOURCE_NAME = "prop-source";
export const DESTINATION_NAME = "prop-destination";
const CORE_USER = "71000001";
const OTHER_USER = "71000002";

type Marker = "none" | "ica" | "bssh";

export interface ModelAnalysis {
  id: string;
  projectId: string;
  reference: string;
  pipelineCode: string;
  status: "SUCCEEDED" | "FAILED" | "IN_PROGRESS" | "ABORTED";
  createdDaysAgo: number;
  startDaysAgo: number | null;
  marker: Marker;
  /** BaseSpace project names its bsshoutput.json lists. */
  bsProjects: string[];
  outputStatus: "AVAILABLE" | "ARCHIVED";
  /** File names under output/Samples/. */
  fastqs: string[];
  /** `<runFolder>` for BCLConvert references, null for others. */
  runFolder: string | null;
}

export interface ModelBsItem {
  kind: "dataset" | "run";
  id: string;
  name: string;
  /** Datasets only. */
  projectName?: string;
  createdDaysAgo: number;
  isArchived: boolean;
}

interface WorldSettings {
  daysToArchive: number | null;
  daysToDelete: number;
  deleteCap: number;
  protect: string[];
  basespaceRuns: "all" | "related" | "none";
  emptyTrash: "own-only" | "always" | "never";
  dryRun: boolean;
}

/**
 * Someone acting during the first cycle (a simulator person hook): right after the tool's first request
 * matching `after`, they move a dataset to the trash by hand, or restore one from the trash.
 */
export interface PersonAct {
  kind: "trash" | "restore";
  after: "DELETE /v2/datasets/{id}" | "DELETE /v2/trash";
  /** A dataset of bsItems. */
  itemId: string;
}

/** The irreversible calls a fault may hit, once, in the first cycle. */
const irreversibleRoutes = [
  "POST /ica/rest/api/projects/{projectId}/data/{dataId}:archive",
  "POST /ica/rest/api/projects/{projectId}/data/{dataId}:unarchive",
  "POST /ica/rest/api/projects/{projectId}/data/{dataId}:delete",
  "POST /v2/archive",
  "POST /v2/restore",
  "DELETE /v2/datasets/{id}",
  "DELETE /v2/trash",
] as const;

interface IrreversibleFault {
  route: (typeof irreversibleRoutes)[number];
  kind: "429" | "500" | "reset";
}

export interface World {
  analyses: ModelAnalysis[];
  bsItems: ModelBsItem[];
  /** Null: nobody acts during the cycle. */
  person: PersonAct | null;
  fault: IrreversibleFault | null;
  /** Items people put in the trash by hand before the tool ever ran. */
  handTrashed: number;
  settings: WorldSettings;
  /** Days the clock moves before a second cycle; null = one cycle. */
  secondCycleAfterDays: number | null;
}

const bsProjectNames = ["BSP-Alpha", "BSP-Beta", "BSP-Gamma"] as const;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** Ages that sit on, just before and just after each window's edge, plus any age. */
function ageNear(days: { archive: number | null; delete: number }): fc.Arbitrary<number> {
  const edges = [days.delete, ...(days.archive === null ? [] : [days.archive])];
  const near = edges.flatMap((edge) => [edge, edge - 0.001, edge + 0.001, edge - 1, edge + 1].filter((age) => age >= 0));
  return fc.oneof(fc.constantFrom(...near), fc.integer({ min: 0, max: 250 }));
}

const settingsArbitrary: fc.Arbitrary<Omit<WorldSettings, "protect">> = fc
  .integer({ min: 2, max: 120 })
  .chain((daysToDelete) =>
    fc.record({
      daysToDelete: fc.constant(daysToDelete),
      daysToArchive: fc.option(fc.integer({ min: 1, max: daysToDelete }), { freq: 4 }),
      deleteCap: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(500)),
      basespaceRuns: fc.constantFrom("all" as const, "related" as const, "none" as const),
      emptyTrash: fc.constantFrom("own-only" as const, "always" as const, "never" as const),
      dryRun: fc.boolean().chain((dry) => (dry ? fc.boolean() : fc.constant(false))),
    }),
  );

function analysisArbitrary(index: number, projectId: string, age: fc.Arbitrary<number>): fc.Arbitrary<ModelAnalysis> {
  const id = `a1a1a1a1-0000-4000-8000-${hex(index, 12)}`;
  return fc
    .record({
      bclConvert: fc.boolean(),
      status: fc.constantFrom("SUCCEEDED" as const, "SUCCEEDED" as const, "FAILED" as const, "IN_PROGRESS" as const, "ABORTED" as const),
      createdDaysAgo: age,
      started: fc.boolean(),
      marker: fc.constantFrom<Marker>("none", "ica", "ica", "bssh", "bssh"),
      bsProjects: fc.subarray([...bsProjectNames, "BSP-Missing"], { minLength: 1 }),
      outputStatus: fc.constantFrom("AVAILABLE" as const, "AVAILABLE" as const, "ARCHIVED" as const),
      fastqs: fc.subarray([`M-${index}01_S1_R1_001.fastq.gz`, `M-${index}02_S2_R1_001.fastq.gz`, "Undetermined_S0_R1_001.fastq.gz", "NA12878_S3_R1_001.fastq.gz"]),
    })
    .map((a): ModelAnalysis => {
      const runFolder = a.bclConvert ? `2025${hex(index, 4)}_LH00619_${hex(index, 4)}_B22PROP${index}` : null;
      const reference = runFolder ? `${runFolder}_${hex(index, 6)}_abcdef-BclConvert_v4_1_23-${id}` : `20250101_${hex(index, 6)}-${id}`;
      return {
        id,
        projectId,
        reference,
        pipelineCode: a.bclConvert ? "BclConvert_v4_1_23_patch1" : "DRAGEN_Germline_Whole_Genome_4-3-13",
        status: a.status,
        createdDaysAgo: a.createdDaysAgo,
        // Started a little after it was created, as real analyses are.
        startDaysAgo: a.started ? Math.max(0, a.createdDaysAgo - 0.01) : null,
        marker: a.marker,
        bsProjects: a.marker === "bssh" ? a.bsProjects : [],
        outputStatus: a.outputStatus,
        fastqs: a.fastqs,
        runFolder,
      };
    });
}

function bsItemArbitrary(kind: ModelBsItem["kind"], index: number, age: fc.Arbitrary<number>, runNames: string[]): fc.Arbitrary<ModelBsItem> {
  return fc
    .record({
      createdDaysAgo: age,
      isArchived: fc.boolean(),
      projectName: fc.constantFrom(...bsProjectNames),
      runName: fc.constantFrom(...runNames, `20240101_NB55_${index}_UNRELATED`),
    })
    .map((item) =>
      kind === "dataset"
        ? { kind, id: `ds.${hex(index, 32)}`, name: `DS-${index}`, projectName: item.projectName, createdDaysAgo: item.createdDaysAgo, isArchived: item.isArchived }
        : { kind, id: String(52_000_000 + index), name: item.runName, createdDaysAgo: item.createdDaysAgo, isArchived: item.isArchived },
    );
}

/**
 * Keys a protect list may name: ids and names, exactly or as a `prefix*` glob, including the name of a
 * FASTQ inside an output folder (which must keep the whole folder from being archived or deleted).
 */
function protectArbitrary(analyses: ModelAnalysis[], items: ModelBsItem[]): fc.Arbitrary<string[]> {
  const keys = [
    ...analyses.flatMap((a) => [a.id, a.reference, `${a.reference.slice(0, 12)}*`, ...a.fastqs]),
    ...items.flatMap((i) => [i.id, i.name, `${i.name.slice(0, 4)}*`]),
  ];
  return keys.length === 0 ? fc.constant([]) : fc.subarray(keys, { maxLength: 3 });
}

export const worldArbitrary: fc.Arbitrary<World> = settingsArbitrary.chain((settings) => {
  const age = ageNear({ archive: settings.daysToArchive, delete: settings.daysToDelete });
  return fc
    .record({
      source: fc.integer({ min: 0, max: 3 }),
      other: fc.integer({ min: 0, max: 1 }),
      datasets: fc.integer({ min: 0, max: 3 }),
      runs: fc.integer({ min: 0, max: 2 }),
      handTrashed: fc.integer({ min: 0, max: 1 }),
      secondCycleAfterDays: fc.option(fc.constantFrom(0, 1, 30), { freq: 2 }),
    })
    .chain((counts) =>
      fc
        .tuple(
          fc.tuple(...Array.from({ length: counts.source }, (_, i) => analysisArbitrary(i + 1, SOURCE_ID, age))),
          fc.tuple(...Array.from({ length: counts.other }, (_, i) => analysisArbitrary(i + 10, OTHER_ID, age))),
        )
        .chain(([source, other]) => {
          const runNames = [...source, ...other].map((a) => a.runFolder).filter((f): f is string => f !== null);
          return fc
            .tuple(
              fc.tuple(...Array.from({ length: counts.datasets }, (_, i) => bsItemArbitrary("dataset", i + 1, age, runNames))),
              fc.tuple(...Array.from({ length: counts.runs }, (_, i) => bsItemArbitrary("run", i + 1, age, runNames))),
            )
            .chain(([datasets, runs]) => {
              const analyses = [...source, ...other];
              const bsItems = [...datasets, ...runs];
              const datasetIds = bsItems.filter((i) => i.kind === "dataset").map((i) => i.id);
              const person: fc.Arbitrary<PersonAct | null> =
                datasetIds.length === 0
                  ? fc.constant(null)
                  : fc.option(
                      fc.record({
                        kind: fc.constantFrom("trash" as const, "restore" as const),
                        after: fc.constantFrom("DELETE /v2/datasets/{id}" as const, "DELETE /v2/trash" as const),
                        itemId: fc.constantFrom(...datasetIds),
                      }),
                      // Nobody in one world in eight: most worlds with datasets get a person.
                      { freq: 8 },
                    );
              const fault = fc.option(
                fc.record({ route: fc.constantFrom(...irreversibleRoutes), kind: fc.constantFrom("429" as const, "500" as const, "reset" as const) }),
                { freq: 2 },
              );
              return fc.tuple(protectArbitrary(analyses, bsItems), person, fault).map(
                ([protect, personAct, faultRule]): World => ({
                  analyses,
                  bsItems,
                  person: personAct,
                  fault: faultRule,
                  handTrashed: counts.handTrashed,
                  settings: { ...settings, protect },
                  secondCycleAfterDays: counts.secondCycleAfterDays,
                }),
              );
            });
        }),
    );
});

export const outputFolderOf = (a: Pick<ModelAnalysis, "reference">) => `/ilmn-analyses/${a.reference}/`;

export function worldFixture(world: World): FixtureInput {
  const bsProjectId = (name: string) => String(81_000_001 + bsProjectNames.indexOf(name as (typeof bsProjectNames)[number]));
  return {
    version: 1,
    name: "safety-property",
    ica: {
      tenants: [
        { id: "t-core", name: "core" },
        { id: "t-other", name: "other" },
      ],
      apiKeys: [{ key: reliabilityApiKey, tenantId: "t-core", userId: "u-core" }],
      projects: [
        { id: SOURCE_ID, name: SOURCE_NAME, tenantId: "t-core" },
        { id: DESTINATION_ID, name: DESTINATION_NAME, tenantId: "t-core" },
        { id: OTHER_ID, name: "prop-neighbour", tenantId: "t-core" },
      ],
      analyses: world.analyses.map((a) => ({
        id: a.id,
        projectId: a.projectId,
        reference: a.reference,
        userReference: a.reference,
        pipelineCode: a.pipelineCode,
        status: a.status,
        createdDaysAgo: a.createdDaysAgo,
        startDaysAgo: a.startDaysAgo,
        endDaysAgo: a.status === "IN_PROGRESS" ? null : Math.max(0, (a.startDaysAgo ?? a.createdDaysAgo) - 0.001),
        outputStatus: a.outputStatus,
        files: [
          ...(a.marker === "ica" ? [{ path: "_tags.json", content: "{}" }] : []),
          ...(a.marker === "bssh"
            ? [{ path: "bsshoutput.json", content: JSON.stringify({ Projects: Object.fromEntries(a.bsProjects.map((name, i) => [`p${i}`, { Id: bsProjectId(name), Name: name }])) }) }]
            : []),
          ...a.fastqs.map((name) => ({ path: `output/Samples/${name}`, sizeBytes: 100 })),
        ],
      })),
      files: [{ projectId: SOURCE_ID, path: "/scratch/loose-sample-sheet.csv", sizeBytes: 10, createdDaysAgo: 300 }],
    },
    basespace: {
      users: [
        { id: CORE_USER, name: "Core", email: "core@example.org" },
        { id: OTHER_USER, name: "Other", email: "other@example.org" },
      ],
      tokens: [{ token: reliabilityToken, userId: CORE_USER, scopes: [...FULL_SCOPES] }],
      projects: bsProjectNames.map((name) => ({ id: bsProjectId(name), name, ownerId: CORE_USER, createdDaysAgo: 400 })),
      datasets: world.bsItems
        .filter((i) => i.kind === "dataset")
        .map((i) => ({
          id: i.id,
          projectId: bsProjectId(i.projectName ?? ""),
          name: i.name,
          createdDaysAgo: i.createdDaysAgo,
          sizeBytes: 100,
          isArchived: i.isArchived,
        })),
      runs: world.bsItems
        .filter((i) => i.kind === "run")
        .map((i) => ({
          id: i.id,
          name: i.name,
          experimentName: i.name,
          ownerId: CORE_USER,
          createdDaysAgo: i.createdDaysAgo,
          sizeBytes: 100,
          isArchived: i.isArchived,
        })),
      trash: Array.from({ length: world.handTrashed }, (_, i) => ({
        trashId: `trash-${i}`,
        kind: "dataset" as const,
        itemId: `ds.${hex(900 + i, 32)}`,
        name: `HandTrashed-${i}`,
        deletedDaysAgo: 5,
        sizeBytes: 10,
        deletedByUserId: CORE_USER,
      })),
    },
  };
}
