import { fixtureSchema, type Fixture } from "../../src/simulator/fixtures/format.js";

/**
 * Everything a fixture must satisfy beyond its zod schema: references resolve, ids are unique, times are
 * ordered, files match the analysis' status and the real naming shapes. Returns the problems found (at
 * most `limit`), so a failing test names them instead of saying "expected false to be true".
 */
export function fixtureProblems(fixture: Fixture, limit = 20): string[] {
  const problems: string[] = [];
  const report = (message: string): void => {
    if (problems.length < limit) problems.push(message);
  };
  const parsed = fixtureSchema.safeParse(fixture);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, limit)) report(`schema: ${issue.path.join(".")}: ${issue.message}`);
  }
  checkIca(fixture.ica, report);
  checkBasespace(fixture.basespace, report);
  return problems;
}

type Report = (message: string) => void;

function unique(what: string, values: Iterable<string>, report: Report): Set<string> {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) report(`duplicate ${what}: ${v}`);
    seen.add(v);
  }
  return seen;
}

function refs(what: string, values: Iterable<string>, known: Set<string>, report: Report): void {
  for (const v of values) if (!known.has(v)) report(`${what} refers to unknown ${v}`);
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "FAILED_FINAL", "ABORTED"]);
const FASTQ = /^output\/Samples\/Lane_(\d)\/([^/]+)\/\2_S(\d+)_L00\1_R[12]_001\.fastq\.gz$/;
const BCL_REFERENCE = /^.+_[0-9a-f]{6}_[0-9a-f]{6}-BclConvert_v[0-9a-z_]+-([0-9a-f-]{36})$/;

function checkIca(ica: Fixture["ica"], report: Report): void {
  const tenants = unique("tenant id", ica.tenants.map((t) => t.id), report);
  unique("api key", ica.apiKeys.map((k) => k.key), report);
  refs("api key tenant", ica.apiKeys.map((k) => k.tenantId), tenants, report);
  const projects = unique("project id", ica.projects.map((p) => p.id), report);
  refs("project tenant", ica.projects.map((p) => p.tenantId), tenants, report);
  unique("analysis id", ica.analyses.map((a) => a.id), report);
  unique("analysis reference", ica.analyses.map((a) => a.reference), report);
  refs("analysis project", ica.analyses.map((a) => a.projectId), projects, report);
  refs("project file", ica.files.map((f) => f.projectId), projects, report);
  for (const a of ica.analyses) {
    const at = `analysis ${a.id}`;
    const times = [a.createdDaysAgo, a.startDaysAgo, a.endDaysAgo].filter((t): t is number => t !== null);
    if (times.some((t, i) => i > 0 && t > (times[i - 1] as number))) report(`${at}: times not ordered ${times.join(" ≥ ")}`);
    if (TERMINAL.has(a.status) !== (a.endDaysAgo !== null)) report(`${at}: ${a.status} with endDaysAgo ${a.endDaysAgo}`);
    if ((a.status === "QUEUED" || a.status === "REQUESTED") && a.startDaysAgo !== null) report(`${at}: queued but started`);
    if (a.files.length > 0 && !["SUCCEEDED", "FAILED", "FAILED_FINAL"].includes(a.status)) report(`${at}: ${a.status} has files`);
    if (a.pipelineCode.startsWith("BclConvert")) {
      const m = BCL_REFERENCE.exec(a.reference);
      if (m?.[1] !== a.id) report(`${at}: reference ${a.reference} is not <runFolder>_<hex6>_<hex6>-<pipeline>-<id>`);
    }
    unique(`${at} file path`, a.files.map((f) => f.path), report);
    for (const f of a.files) checkAnalysisFile(at, a.outputStatus, f, report);
  }
}

function checkAnalysisFile(at: string, outputStatus: string, f: Fixture["ica"]["analyses"][number]["files"][number], report: Report): void {
  if (f.path.startsWith("/") || f.path.endsWith("/")) report(`${at}: file path ${f.path} must be relative, without trailing /`);
  if (f.status !== outputStatus) report(`${at}: ${f.path} is ${f.status} in a ${outputStatus} output`);
  const name = f.path.slice(f.path.lastIndexOf("/") + 1);
  if (name.endsWith(".fastq.gz") && f.path.startsWith("output/Samples/") && !FASTQ.test(f.path)) report(`${at}: FASTQ path ${f.path} has the wrong shape`);
  if (name.startsWith("Undetermined") && !/^Undetermined_S0_L00\d_R[12]_001\.fastq\.gz$/.test(name)) report(`${at}: bad ${name}`);
  if (name === "bsshoutput.json") {
    const projects = (JSON.parse(f.content ?? "{}") as { Projects?: Record<string, { Name?: unknown }> }).Projects;
    if (!projects || Object.values(projects).some((p) => typeof p.Name !== "string")) report(`${at}: bsshoutput.json lacks Projects.*.Name`);
  }
}

function checkBasespace(bs: Fixture["basespace"], report: Report): void {
  const users = unique("user id", bs.users.map((u) => u.id), report);
  unique("token", bs.tokens.map((t) => t.token), report);
  refs("token user", bs.tokens.map((t) => t.userId), users, report);
  const projects = unique("basespace project id", bs.projects.map((p) => p.id), report);
  refs("basespace project owner", bs.projects.map((p) => p.ownerId), users, report);
  unique("dataset id", bs.datasets.map((d) => d.id), report);
  refs("dataset project", bs.datasets.map((d) => d.projectId), projects, report);
  unique("run id", bs.runs.map((r) => r.id), report);
  refs("run owner", bs.runs.map((r) => r.ownerId), users, report);
  unique("trash id", bs.trash.map((t) => t.trashId), report);
  refs("trash deleter", bs.trash.map((t) => t.deletedByUserId), users, report);
}
