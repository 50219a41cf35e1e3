// Small fixtures for the lifecycle tests: one ICA-managed analysis (a DRAGEN run, so manageNew leaves
// it alone) and one BaseSpace dataset per age, plus a BSSH-managed analysis naming the dataset project.
import type { FixtureInput } from "../../src/simulator/fixtures/format.js";
import { FULL_SCOPES } from "../../src/simulator/fixtures/identities.js";
import { testApiKey, testToken } from "./cycle-settings.js";

export const SOURCE = "5a5a5a5a-0000-4000-8000-000000000001";
export const DESTINATION = "6b6b6b6b-0000-4000-8000-000000000002";
export const BS_USER = "70000001";
export const BS_PROJECT = "80000001";

const hex = (n: number) => n.toString(16).padStart(12, "0");
export const analysisId = (n: number) => `a9a9a9a9-0000-4000-8000-${hex(n)}`;
export const datasetId = (n: number) => `ds.${hex(n)}${"0".repeat(20)}`;
const label = (age: number) => String(age).replace(".", "_");
export const referenceOf = (age: number) => `ages-${label(age)}-${analysisId(Math.round(age * 100))}`;

export interface AgesFixtureOptions {
  /** Ages (days) of the ICA-managed analyses and of the datasets. */
  ages: readonly number[];
  archived?: boolean;
}

export function agesFixture({ ages, archived = false }: AgesFixtureOptions): FixtureInput {
  const analysis = (n: number, reference: string, age: number, marker: { path: string; content: string }, isArchived = archived) => ({
    id: analysisId(n),
    projectId: SOURCE,
    reference,
    userReference: reference,
    pipelineCode: "DRAGEN_Germline_Whole_Genome_4-3-13",
    status: "SUCCEEDED" as const,
    createdDaysAgo: age,
    startDaysAgo: age,
    endDaysAgo: Math.max(0, age - 0.1),
    outputStatus: isArchived ? ("ARCHIVED" as const) : ("AVAILABLE" as const),
    files: [marker, { path: "output/sample.bam", sizeBytes: 1000 }],
  });
  return {
    version: 1,
    name: "ages",
    ica: {
      tenants: [{ id: "t-core", name: "core" }],
      apiKeys: [{ key: testApiKey, tenantId: "t-core", userId: "u-core" }],
      projects: [
        { id: SOURCE, name: "core-bssh-runs", tenantId: "t-core" },
        { id: DESTINATION, name: "mgi-fastq-delivery", tenantId: "t-core" },
      ],
      analyses: [
        ...ages.map((age) => analysis(Math.round(age * 100), referenceOf(age), age, { path: "_tags.json", content: "{}" })),
        analysis(
          1,
          "bssh-managed",
          200,
          { path: "bsshoutput.json", content: JSON.stringify({ Projects: { [BS_PROJECT]: { Id: BS_PROJECT, Name: "Aged_Project" } } }) },
          false,
        ),
      ],
    },
    basespace: {
      users: [{ id: BS_USER, name: "Core", email: "core@example.org" }],
      tokens: [{ token: testToken, userId: BS_USER, scopes: [...FULL_SCOPES] }],
      projects: [{ id: BS_PROJECT, name: "Aged_Project", ownerId: BS_USER, createdDaysAgo: 300 }],
      datasets: ages.map((age) => ({
        id: datasetId(Math.round(age * 100)),
        projectId: BS_PROJECT,
        name: `D-${label(age)}`,
        createdDaysAgo: age,
        sizeBytes: 1000,
        isArchived: archived,
      })),
      runs: [],
      trash: [],
    },
  };
}
