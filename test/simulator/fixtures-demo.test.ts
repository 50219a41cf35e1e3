import { describe, expect, it } from "vitest";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import {
  DESTINATION_PROJECT_NAME,
  FULL_SCOPES,
  OTHER_TENANT_PROJECT_NAME,
  SOURCE_PROJECT_NAME,
} from "../../src/simulator/fixtures/identities.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";

/**
 * The demo's analyses exactly as docs/simulator.md (section fixtures) lists them for people to hand-check.
 * If this table changes, change the docs table with it.
 */
const documented = [
  // prefix, pipeline, status, createdDaysAgo, started?, marker, output status, MGI FASTQs, all FASTQs
  ["a0000001", "BclConvert", "SUCCEEDED", 1.2, true, "bssh:CoreRuns_2025_Q4", "AVAILABLE", 8, 20],
  ["a0000002", "BclConvert", "SUCCEEDED", 3, true, "bssh:CoreRuns_2025_Q4", "AVAILABLE", 3, 5],
  ["a0000003", "BclConvert", "SUCCEEDED", 5, true, "bssh:CoreRuns_2025_Q4", "AVAILABLE", 0, 16],
  ["a0000004", "BclConvert", "IN_PROGRESS", 0.2, true, "-", "AVAILABLE", 0, 0],
  ["a0000005", "BclConvert", "QUEUED", 0.05, false, "-", "AVAILABLE", 0, 0],
  ["a0000006", "BclConvert", "FAILED", 10, true, "none", "AVAILABLE", 0, 0],
  ["a0000007", "BclConvert", "ABORTED", 12, false, "-", "AVAILABLE", 0, 0],
  ["a0000008", "DRAGEN", "SUCCEEDED", 20, true, "bssh:CoreRuns_2025_Q4", "AVAILABLE", 0, 0],
  ["a0000009", "BclConvert", "SUCCEEDED", 59, true, "ica", "AVAILABLE", 2, 6],
  ["a0000010", "BclConvert", "SUCCEEDED", 61.5, true, "ica", "AVAILABLE", 4, 8],
  ["a0000011", "BclConvert", "SUCCEEDED", 75, true, "bssh:CoreRuns_2025_Q3", "AVAILABLE", 2, 6],
  ["a0000012", "BclConvert", "SUCCEEDED", 91.5, true, "ica", "AVAILABLE", 2, 4],
  ["a0000013", "BclConvert", "SUCCEEDED", 150, true, "ica", "ARCHIVED", 2, 4],
  ["a0000014", "DRAGEN", "SUCCEEDED", 100, true, "bssh:Chen_Lab_WGS_Cohort,Retired_Project_2023", "AVAILABLE", 0, 0],
  ["a0000015", "BclConvert", "SUCCEEDED", 95, true, "none", "AVAILABLE", 2, 6],
  ["a0000016", "BclConvert", "ABORTED", 120, false, "-", "AVAILABLE", 0, 0],
] as const;

type Analysis = Fixture["ica"]["analyses"][number];

const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
const fastqs = (a: Analysis) => a.files.filter((f) => f.path.endsWith(".fastq.gz"));
const mgiFastqs = (a: Analysis) => fastqs(a).filter((f) => baseName(f.path).startsWith("M-"));

function markerOf(a: Analysis): string {
  if (a.files.length === 0) return "-";
  const bssh = a.files.find((f) => f.path === "bsshoutput.json");
  if (bssh) {
    const projects = (JSON.parse(bssh.content ?? "") as { Projects: Record<string, { Name: string }> }).Projects;
    return `bssh:${Object.values(projects).map((p) => p.Name).join(",")}`;
  }
  return a.files.some((f) => f.path === "_tags.json") ? "ica" : "none";
}

describe("demo fixture", () => {
  const demo = namedFixture("demo");
  const projectId = (name: string) => demo.ica.projects.find((p) => p.name === name)?.id;
  const source = demo.ica.analyses.filter((a) => a.projectId === projectId(SOURCE_PROJECT_NAME));

  it("has the analyses the docs list, row by row", () => {
    const actual = source.map((a) => [
      a.id.slice(0, 8),
      a.pipelineCode.startsWith("BclConvert") ? "BclConvert" : "DRAGEN",
      a.status,
      a.createdDaysAgo,
      a.startDaysAgo !== null,
      markerOf(a),
      a.outputStatus,
      mgiFastqs(a).length,
      fastqs(a).length,
    ]);
    expect(actual).toEqual(documented);
  });

  it("agrees between the `^M-` and `starts with M` rules and never names Undetermined as MGI", () => {
    for (const a of demo.ica.analyses) {
      const startsWithM = fastqs(a).filter((f) => baseName(f.path).startsWith("M"));
      expect(startsWithM).toEqual(mgiFastqs(a));
    }
    const undetermined = source.flatMap((a) => fastqs(a).filter((f) => baseName(f.path).startsWith("Undetermined")));
    expect(undetermined.length).toBeGreaterThan(0);
  });

  it("puts ICA-managed outputs under /<reference>/ and the rest under /ilmn-analyses/<reference>/", () => {
    for (const a of source) {
      const icaManaged = markerOf(a) === "ica";
      expect(a.outputFolderPath).toBe(icaManaged ? `/${a.reference}/` : undefined);
    }
  });

  it("hides the neighbouring tenant's project (with MGI FASTQs) from the core's key", () => {
    const [coreKey, otherKey] = demo.ica.apiKeys;
    const other = demo.ica.projects.find((p) => p.name === OTHER_TENANT_PROJECT_NAME);
    expect(other?.tenantId).toBe(otherKey?.tenantId);
    expect(other?.tenantId).not.toBe(coreKey?.tenantId);
    const hidden = demo.ica.analyses.filter((a) => a.projectId === other?.id);
    expect(hidden.map((a) => [a.id.slice(0, 8), mgiFastqs(a).length])).toEqual([["b0000001", 4]]);
    expect(coreKey?.key).toMatch(/^demo-ica-key-/);
    expect(projectId(DESTINATION_PROJECT_NAME)).toBeDefined();
    expect(demo.ica.analyses.some((a) => a.projectId === projectId(DESTINATION_PROJECT_NAME))).toBe(false);
  });

  it("has BaseSpace data on both sides of the 60- and 90-day lines in the projects the markers name", () => {
    const bsProject = (name: string) => demo.basespace.projects.find((p) => p.name === name)?.id;
    const ages = (name: string) =>
      demo.basespace.datasets.filter((d) => d.projectId === bsProject(name)).map((d) => [d.createdDaysAgo, d.isArchived]);
    expect(ages("CoreRuns_2025_Q3")).toEqual([[30, false], [59, false], [61.5, false], [74.9, false], [80, true]]);
    expect(ages("Chen_Lab_WGS_Cohort")).toEqual([[45, false], [70, false], [99.5, false], [130, true], [200, false]]);
    expect(ages("Teaching_Lab_Unrelated")).toEqual([[100, false], [200, false]]);
    expect(bsProject("Retired_Project_2023")).toBeUndefined();
  });

  it("has runs for its BCLConvert analyses, one sequencing, one archived past 90 days", () => {
    const runs = demo.basespace.runs;
    const ages = runs.map((r) => r.createdDaysAgo).sort((a, b) => a - b);
    expect(ages).toEqual([0.3, 0.45, 0.6, 1.6, 3.4, 5.4, 10.4, 12.4, 59.4, 61.9, 75.4, 91.9, 95.4, 120.4, 150.4]);
    expect(runs.filter((r) => r.status === "Running").map((r) => r.createdDaysAgo)).toEqual([0.3]);
    expect(runs.filter((r) => r.isArchived).map((r) => r.createdDaysAgo)).toEqual([150.4]);
    const folders = source.filter((a) => a.pipelineCode.startsWith("BclConvert")).map((a) => a.userReference.slice(0, -14));
    expect(runs.map((r) => r.name)).toEqual(expect.arrayContaining(folders));
  });

  it("has a full-scope token, a read-only one, and one item a person trashed", () => {
    const [full, readOnly] = demo.basespace.tokens;
    expect(full?.scopes).toEqual([...FULL_SCOPES]);
    expect(readOnly?.scopes).toEqual(["READ GLOBAL", "BROWSE GLOBAL"]);
    expect(demo.basespace.trash).toHaveLength(1);
    expect(demo.basespace.trash[0]?.deletedByUserId).toBe(full?.userId);
  });
});
