import { chmod, cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { UpstreamAnswer } from "./api-proxy.js";
import { bundleCli, mapLimited, runCliProcess, type CliBundle, type CliResult } from "./cli-process.js";
import { readManagedTable, statePaths } from "../../src/state/index.js";
import { Scenario } from "./scenario.js";
import { findLeaks, readTree } from "./secrets.js";
import { capturedContext } from "../cli/helpers.js";

/** The state a good run leaves: each case starts from a copy, and must leave it exactly so. */
let template: Scenario;
let cli: CliBundle;

/** What a case may change before the run: its command line, files, the proxy in front of the simulator. */
interface CaseSetup {
  s: Scenario;
  args: string[];
  /** A scratch directory of the case. */
  dir: string;
}

interface BadInput {
  name: string;
  /** Returns the command line (the good one, changed). */
  setup(c: CaseSetup): Promise<string[]>;
  /** The one error line must say what is wrong and how to fix it. */
  error: RegExp;
  /** More of stderr that must be there (commander puts its suggestion on a line of its own). */
  alsoPrinted?: RegExp;
  /** A fixture of its own (the ambiguous project name). */
  fixture?: () => ReturnType<typeof namedFixture>;
  /** Why the case cannot run here; it is then skipped, saying so. */
  skip?: string;
}

const withFlag = (args: readonly string[], flag: string, value: string): string[] => {
  const at = args.indexOf(flag);
  return at < 0 ? [...args, flag, value] : [...args.slice(0, at), flag, value, ...args.slice(at + 2)];
};
const without = (args: readonly string[], flag: string): string[] => {
  const at = args.indexOf(flag);
  return at < 0 ? [...args] : [...args.slice(0, at), ...args.slice(at + 2)];
};
const flagValue = (args: readonly string[], flag: string): string => args[args.indexOf(flag) + 1] ?? "";

async function secretFile(dir: string, name: string, content: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

/** A config file (JSON) next to the case's command line. */
async function configFile(dir: string, content: string): Promise<string> {
  return secretFile(dir, "config.json", content, 0o644);
}

const projectsRoute = /^GET \/ica\/rest\/api\/projects$/;
const json = (body: unknown, status = 200): UpstreamAnswer => ({
  status,
  headers: { "content-type": "application/json" },
  body: Buffer.from(JSON.stringify(body)),
});
const problem = (status: number, title: string, detail: string) =>
  json({ type: "about:blank", title, status, detail, instance: "/ica/rest/api/projects" }, status);

const isRoot = process.getuid?.() === 0;

const cases: BadInput[] = [
  // ── the API key file ──
  { name: "API key file missing", setup: async ({ args, dir }) => withFlag(args, "--api_key_file", join(dir, "nope.txt")), error: /API key file .*nope\.txt does not exist: create it or correct the path/ },
  { name: "API key file empty", setup: async ({ args, dir }) => withFlag(args, "--api_key_file", await secretFile(dir, "key.txt", "")), error: /API key file .*key\.txt is empty: put the ICA API key on its first line/ },
  { name: "API key file of blank lines", setup: async ({ args, dir }) => withFlag(args, "--api_key_file", await secretFile(dir, "key.txt", "  \r\n\n \t\n")), error: /API key file .*key\.txt is empty: put the ICA API key/ },
  { name: "API key file with two keys", setup: async ({ args, dir }) => withFlag(args, "--api_key_file", await secretFile(dir, "key.txt", "first-key\nsecond-key\n")), error: /API key file .*key\.txt has 2 non-empty lines: keep only the ICA API key, on one line/ },
  { name: "API key file is a directory", setup: async ({ args, dir }) => withFlag(args, "--api_key_file", dir), error: /API key file .* is a directory: give the path of the file itself/ },
  {
    name: "API key file unreadable",
    ...(isRoot ? { skip: "running as root, which reads any file whatever its mode" } : {}),
    setup: async ({ args, dir }) => withFlag(args, "--api_key_file", await secretFile(dir, "key.txt", "some-key\n", 0o000)),
    error: /API key file .*key\.txt is not readable \(EACCES\): make it readable by the user running ica-orchestrator/,
  },
  { name: "API key revoked (401)", setup: async ({ args, dir }) => withFlag(args, "--api_key_file", await secretFile(dir, "key.txt", "REL-REVOKED-KEY-0000000000\n")), error: /ICA GET \/api\/projects failed with HTTP 401.*Check the ICA API key/ },
  // ── the BaseSpace token file ──
  { name: "token file without accessToken", setup: async ({ args, dir }) => withFlag(args, "--basespace_access_token_file", await secretFile(dir, "default.cfg", "apiServer = https://api.basespace.illumina.com\n")), error: /BaseSpace token file .*default\.cfg has no accessToken entry: point to the file "bs auth" writes/ },
  { name: "token file missing", setup: async ({ args, dir }) => withFlag(args, "--basespace_access_token_file", join(dir, "missing.cfg")), error: /BaseSpace token file .*missing\.cfg does not exist: create it or correct the path/ },
  // ── the config file ──
  { name: "config file missing", setup: async ({ args, dir }) => [...args, "--config", join(dir, "absent.json")], error: /config file .*absent\.json cannot be read \(ENOENT\): correct --config/ },
  { name: "config file not JSON", setup: async ({ args, dir }) => [...args, "--config", await configFile(dir, '{"days_to_delete": 90,')], error: /config file .*config\.json is not valid JSON .*: fix the syntax/ },
  { name: "config file with an unknown key", setup: async ({ args, dir }) => [...args, "--config", await configFile(dir, '{"days_to_deleet": 90}')], error: /config file .*config\.json: unknown key days_to_deleet; see the README's configuration table/ },
  { name: "config file with a wrongly typed value", setup: async ({ args, dir }) => [...args, "--config", await configFile(dir, '{"delete_cap": "lots"}')], error: /delete_cap \(from config .*config\.json delete_cap\): expected a whole number .*, got "lots"; e\.g\. --delete_cap 500/ },
  // ── days and other numbers ──
  { name: "negative days_to_delete", setup: async ({ args }) => [...args, "--days_to_delete", "-5"], error: /days_to_delete \(from --days_to_delete\): expected a whole number of days \(1 or more\), got "-5"; e\.g\. --days_to_delete 90/ },
  { name: "non-numeric days_to_archive", setup: async ({ args }) => [...args, "--days_to_archive", "sixty"], error: /days_to_archive \(from --days_to_archive\): expected a whole number of days .* or "off", got "sixty"; e\.g\. --days_to_archive 60/ },
  { name: "zero days_to_delete", setup: async ({ args }) => [...args, "--days_to_delete", "0"], error: /days_to_delete \(from --days_to_delete\): expected a whole number of days \(1 or more\), got "0"; e\.g\. --days_to_delete 90/ },
  { name: "archive days above delete days", setup: async ({ args }) => [...args, "--days_to_archive", "100", "--days_to_delete", "90"], error: /days_to_archive \(from --days_to_archive\): 100 is more than days_to_delete \(90\): lower it, or set it to "off"/ },
  { name: "negative delete_cap", setup: async ({ args }) => [...args, "--delete_cap", "-1"], error: /delete_cap \(from --delete_cap\): expected a whole number .*, got "-1"; e\.g\. --delete_cap 500/ },
  { name: "concurrency 0", setup: async ({ args }) => [...args, "--concurrency", "0"], error: /concurrency \(from --concurrency\): expected a whole number from 1 to 64, got "0"; e\.g\. --concurrency 8/ },
  // ── other settings ──
  { name: "server_url not a URL", setup: async ({ args }) => withFlag(args, "--server_url", "ica.illumina"), error: /server_url \(from --server_url\): expected an http\(s\) URL .*, got "ica\.illumina"; e\.g\. --server_url https:\/\/ica\.illumina\.com/ },
  { name: "fastq_pattern not a regular expression", setup: async ({ args }) => [...args, "--fastq_pattern", "(M"], error: /fastq_pattern.*not a valid regular expression.*escape/ },
  { name: "unknown basespace_runs mode", setup: async ({ args }) => [...args, "--basespace_runs", "some"], error: /basespace_runs \(from --basespace_runs\): expected one of all, related, none, got "some"/ },
  { name: "unknown empty_trash mode", setup: async ({ args }) => [...args, "--empty_trash", "sometimes"], error: /empty_trash \(from --empty_trash\): expected one of own-only, always, never, got "sometimes"/ },
  { name: "unknown option", setup: async ({ args }) => [...args, "--dayz_to_delete", "5"], error: /^error: unknown option '--dayz_to_delete'$/, alsoPrinted: /Did you mean --days_to_delete\?/ },
  { name: "source given by name and by id", setup: async ({ args }) => [...args, "--source_project_id", "0a0a0a0a-0000-4000-8000-000000000000"], error: /either --source_project_name or --source_project_id, not both/ },
  { name: "no source project", setup: async ({ args }) => without(args, "--source_project_name"), error: /source project is not set: pass --source_project_name NAME or --source_project_id ID/ },
  // ── projects ──
  { name: "same source and destination", setup: async ({ args }) => withFlag(args, "--destination_project_name", SOURCE_PROJECT_NAME), error: /destination project \(from --destination_project_name\): names the same project as the source: .*give a different destination/ },
  {
    name: "same project, once by name and once by id",
    setup: async ({ args, s }) => {
      const source = s.sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME);
      return [...without(args, "--destination_project_name"), "--destination_project_id", source?.id ?? ""];
    },
    error: /source and destination resolve to the same ICA project .*give a different destination/,
  },
  { name: "unknown project name", setup: async ({ args }) => withFlag(args, "--source_project_name", "no-such-project"), error: /No ICA project is named exactly "no-such-project".*Check the name \(case-sensitive\) or pass the project id/ },
  {
    name: "ambiguous project name",
    fixture: () => {
      const demo = namedFixture("demo");
      const [first] = demo.ica.projects;
      const copy = { ...(first as NonNullable<typeof first>), id: "0d0d0d0d-0000-4000-8000-0000000000dd", name: DESTINATION_PROJECT_NAME };
      return { ...demo, ica: { ...demo.ica, projects: [...demo.ica.projects, copy] } };
    },
    setup: async ({ args }) => args,
    error: new RegExp(`ICA project name "${DESTINATION_PROJECT_NAME}" is ambiguous: 2 projects have it: .*; pass the project id instead`),
  },
  // ── where the state goes ──
  { name: "state directory under a file", setup: async ({ args, dir }) => withFlag(args, "--state_dir", join(await secretFile(dir, "plain-file", "x", 0o644), "state")), error: /state directory .*plain-file\/state is not writable \(ENOTDIR\): a file is in the way: remove it, or choose another directory with --state_dir/ },
  { name: "managed table under a file", setup: async ({ args, dir }) => [...args, "--analyses_managed_table", join(await secretFile(dir, "plain-file", "x", 0o644), "table.txt")], error: /plain-file is not writable \(ENOTDIR\): a file is in the way: remove it, or choose another directory with --analyses_managed_table; this cycle changed nothing/ },
  // ── the API answers nonsense ──
  {
    name: "API answers HTML instead of JSON",
    setup: async ({ args, s }) => {
      s.proxy.corrupt({ match: projectsRoute, respond: () => ({ status: 200, headers: { "content-type": "text/html" }, body: Buffer.from("<!doctype html><html><body>Sign in</body></html>") }) });
      return args;
    },
    // HTML on the first call means the URL is not the ICA API (a sign-in page, a proxy): the fix is the URL.
    error: /ICA GET \/api\/projects .*not valid JSON.*server_url/,
  },
  {
    name: "API answers a truncated JSON body",
    setup: async ({ args, s }) => {
      s.proxy.corrupt({ match: projectsRoute, respond: (up) => ({ ...up, body: up.body.subarray(0, Math.floor(up.body.length / 2)) }) });
      return args;
    },
    error: /ICA GET \/api\/projects .*not valid JSON/,
  },
  {
    name: "API answer misses a required field",
    setup: async ({ args, s }) => {
      s.proxy.corrupt({
        match: projectsRoute,
        respond: (up) => {
          const body = JSON.parse(up.body.toString()) as { items: Array<Record<string, unknown>> };
          return json({ ...body, items: body.items.map(({ id: _id, ...rest }) => rest) });
        },
      });
      return args;
    },
    error: /ICA GET \/api\/projects .*field `items\[0\]\.id`.*expected string.*lacks what this tool relies on; check --server_url/,
  },
  {
    name: "403: the key lacks a permission (scope)",
    setup: async ({ args, s }) => {
      s.proxy.corrupt({ match: projectsRoute, respond: () => problem(403, "Forbidden", "the API key lacks the permission to list projects") });
      return args;
    },
    error: /HTTP 403.*lacks the permission.*check project access \(ICA\) or token scopes \(BaseSpace\)/,
  },
  // ── the state the cycle writes (docs/safety.md, guarantees 10 and "writable before the first change") ──
  {
    name: "managed table with a line that cannot be understood",
    setup: async ({ s, args }) => {
      const table = join(s.stateDir, "analyses_managed_table.txt");
      await writeFile(table, `${await readFile(table, "utf8")}%%% not a row at all %%%\n`);
      return args;
    },
    error: /managed table .*analyses_managed_table\.txt:10 cannot be understood: expected "<analysis uuid>,<run id>", found "%%% not a row at all %%%"; nothing is delivered until it is fixed/,
  },
  {
    name: "managed table in a folder that does not exist",
    setup: async ({ args, dir }) => [...args, "--analyses_managed_table", join(dir, "no-such-folder", "table.txt")],
    error: /no-such-folder is not writable \(ENOENT\): create it, or correct --analyses_managed_table; this cycle changed nothing/,
  },
  {
    name: "audit log replaced by a directory",
    setup: async ({ s, args }) => {
      const { audit } = statePaths(s.stateDir);
      await rm(audit);
      await mkdir(audit);
      return args;
    },
    error: /audit\.jsonl is not writable \(EISDIR\): check the path and its permissions, or choose another with --state_dir; this cycle changed nothing/,
  },
];

/**
 * Cases that the bundled CLI runs as a child process: one for each place an error can come from
 * (commander, a secret file, the config file, the API, the state directory), so that main.ts, the
 * bundle and the process's exit code are proven for each. The other cases call runCli in this
 * process — what main.ts calls, with the same arguments and environment — which spares a start-up
 * of the 5 MB bundle (0.7 s of CPU) per case.
 */
const throughTheProcess = new Set(["unknown option", "API key file missing", "config file not JSON", "API answers HTML instead of JSON", "audit log replaced by a directory"]);

/** Input that is odd but usable: the run goes on (exit 0), saying so when a person should act. */
interface AcceptedInput {
  name: string;
  /** Runs on an empty state directory unless it copies the good run's state in itself. */
  setup(c: CaseSetup): Promise<string[]>;
  /** The warning lines it must print, in order; none when omitted. */
  warnings?: RegExp[];
}

const goodKeyFile = (s: Scenario, dir: string, content: (key: string) => string, mode = 0o600) =>
  secretFile(dir, "key.txt", content(s.sim.apiKey), mode);

/** Rows of the good run's table, then what the original tool's real tables contain: glued rows, Unknown run ids, notes. */
const garbageRows = [
  "1f0e2d3c-4b5a-4968-8776-655443322110,RUN_A_0001_f00d01_beef02-BclConvert-1f0e2d3c-4b5a-4968-8776-655443322110" +
    "2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d,RUN_B_0002_f00d03_beef04-BclConvert-2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  "3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e,",
  "4c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f,RUN_C_0003, sent by hand,",
];

const accepted: AcceptedInput[] = [
  {
    name: "world-readable API key file",
    setup: async ({ s, args, dir }) => withFlag(args, "--api_key_file", await goodKeyFile(s, dir, (key) => `${key}\n`, 0o644)),
    warnings: [/API key file .*key\.txt is accessible by other users \(mode 0644\): run chmod 600 /],
  },
  { name: "API key with trailing whitespace", setup: async ({ s, args, dir }) => withFlag(args, "--api_key_file", await goodKeyFile(s, dir, (key) => `${key} \t \n\n`)) },
  { name: "API key with CRLF", setup: async ({ s, args, dir }) => withFlag(args, "--api_key_file", await goodKeyFile(s, dir, (key) => `${key}\r\n`)) },
  {
    name: "BaseSpace token file with CRLF line ends",
    setup: async ({ s, args, dir }) =>
      withFlag(args, "--basespace_access_token_file", await secretFile(dir, "default.cfg", `apiServer = ${s.proxy.url}\r\naccessToken = ${s.sim.basespaceToken}  \r\n`)),
  },
  {
    name: "managed table with garbage lines",
    setup: async ({ s, args }) => {
      await cp(template.stateDir, s.stateDir, { recursive: true });
      const table = join(s.stateDir, "analyses_managed_table.txt");
      await writeFile(table, `${await readFile(table, "utf8")}${garbageRows.join("\n")}\n`);
      return args;
    },
    warnings: [
      // The line is cut at 200 characters; that both glued rows were kept is checked in the table below.
      /analyses_managed_table\.txt line \d+: 2 rows glued on one line .*recovered 1f0e2d3c-/,
      /analyses_managed_table\.txt line \d+: no run id; recorded as Unknown/,
    ],
  },
];

/** The log is where errors are written for cron and container operators; everything else must stay as it was. */
const stateFiles = async (dir: string): Promise<Record<string, string>> =>
  Object.fromEntries(Object.entries(await readTree(dir)).filter(([path]) => !path.startsWith("orchestrator.log")));

/** Lines that report an error: the CLI's own one-liner, commander's, or a log line at level error. */
const errorLines = (stderr: string): string[] => stderr.split("\n").filter((line) => /^ica-orchestrator: |^error: | error /.test(line));

interface Outcome {
  result: CliResult;
  before: Record<string, string>;
  after: Record<string, string>;
  digestBefore: string;
  digestAfter: string;
  mutating: number;
  leaks: string[];
}

/** runCli in this process, with the child's environment (an empty home) and output captured. */
async function runCliInProcess(s: Scenario, args: readonly string[]): Promise<CliResult> {
  const context = capturedContext({ cwd: s.root, homeDir: join(s.root, "home"), env: s.cliEnv() });
  const code = await runCli(args, context);
  return { code, signal: null, stdout: context.out(), stderr: context.err() };
}

async function runCase(c: BadInput): Promise<Outcome> {
  const s = await Scenario.start(c.fixture ? { fixture: c.fixture() } : {});
  try {
    const dir = join(s.root, "case");
    await mkdir(dir);
    await cp(template.stateDir, s.stateDir, { recursive: true });
    const args = await c.setup({ s, args: await s.cliArgs(), dir });
    const stateDir = flagValue(args, "--state_dir");
    const before = await stateFiles(stateDir);
    const digestBefore = s.sim.state().digest;
    const result = throughTheProcess.has(c.name) ? await runCliProcess(cli, args, { env: s.cliEnv() }) : await runCliInProcess(s, args);
    const after = await stateFiles(stateDir);
    const leaks = findLeaks({ stdout: result.stdout, stderr: result.stderr, ...(await s.outputs()) }, s.secrets);
    return { result, before, after, digestBefore, digestAfter: s.sim.state().digest, mutating: s.sim.stats().mutating, leaks };
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  cli = await bundleCli();
  template = await Scenario.start();
  const good = await runCliProcess(cli, await template.cliArgs(), { env: template.cliEnv() });
  expect(good.code).toBe(0);
}, 60_000);

afterAll(async () => {
  await template?.close();
});

describe("bad input through the CLI", () => {
  const runnable = cases.filter((c) => c.skip === undefined);
  const outcomes = new Map<string, Outcome>();
  beforeAll(async () => {
    const results = await mapLimited(runnable, 2, runCase);
    runnable.forEach((c, i) => outcomes.set(c.name, results[i] as Outcome));
  }, 120_000);

  it("has at least 30 cases, those run as a process among them", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect([...throughTheProcess].filter((name) => !runnable.some((c) => c.name === name))).toEqual([]);
  });

  for (const c of cases) {
    const title = `${c.name}: one-line error, exit 2, nothing changed${throughTheProcess.has(c.name) ? " (child process)" : ""}${c.skip ? ` (skipped: ${c.skip})` : ""}`;
    it.skipIf(c.skip !== undefined)(title, () => {
      const o = outcomes.get(c.name) as Outcome;
      expect({ code: o.result.code, lines: errorLines(o.result.stderr) }).toEqual({ code: 2, lines: [expect.stringMatching(c.error)] });
      if (c.alsoPrinted) expect(o.result.stderr).toMatch(c.alsoPrinted);
      expect(o.result.stderr).not.toMatch(/^\s+at /m);
      expect(o.after).toEqual(o.before);
      expect(o.digestAfter).toBe(o.digestBefore);
      expect(o.mutating).toBe(0);
      expect(o.leaks).toEqual([]);
    });
  }
});

describe("odd but usable input through the real CLI", () => {
  it.each(accepted.map((c) => [c.name, c] as const))("%s: accepted, exit 0", async (_, c) => {
    const s = await Scenario.start();
    try {
      const dir = join(s.root, "case");
      await mkdir(dir);
      const args = await c.setup({ s, args: await s.cliArgs(), dir });
      const tableFile = join(s.stateDir, "analyses_managed_table.txt");
      const rowsBefore = (await readManagedTable(tableFile)).rows;
      const tableBefore = await readFile(tableFile, "utf8").catch(() => "");
      const result = await runCliProcess(cli, args, { env: s.cliEnv() });

      expect(errorLines(result.stderr)).toEqual([]);
      expect(result.code).toBe(0);
      const warnings = result.stderr.split("\n").filter((line) => / warn /.test(line) && !/\[(manageNew|classifyAged|basespaceLifecycle)\]/.test(line));
      expect(warnings).toEqual((c.warnings ?? []).map((w) => expect.stringMatching(w)));
      // The key, the token and the table worked: the demo's eight analyses with MGI FASTQs are managed
      // (a0000003, which has none, is held) and no row was lost; the table was only appended to.
      const rows = (await readManagedTable(tableFile)).rows.map((r) => `${r.analysisId},${r.runId}`);
      expect(rows.length).toBeGreaterThanOrEqual(8);
      expect(rows).toEqual(expect.arrayContaining(rowsBefore.map((r) => `${r.analysisId},${r.runId}`)));
      if (rowsBefore.length > 0) expect((await readFile(tableFile, "utf8")).startsWith(tableBefore)).toBe(true);
      expect(findLeaks({ stdout: result.stdout, stderr: result.stderr, ...(await s.outputs()) }, s.secrets)).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

/** The good run's table as the original tool and people leave it (guarantee 10 of docs/safety.md). */
const wildTables: Array<[string, (rows: string[]) => Buffer]> = [
  ["UTF-16 LE with BOM, CRLF, blank lines", (rows) => Buffer.from(`\uFEFFanalysis_id_managed,run_id\r\n\r\n${rows.join("\r\n")}\r\n\r\n`, "utf16le")],
  ["UTF-8 with BOM, notes column, trailing commas, stray spaces, duplicates", (rows) =>
    Buffer.from(`\uFEFFanalysis_id_managed,run_id,notes\n${rows.map((row, i) => ` ${row} ,${i % 2 ? "" : " checked by AB"},`).join("\n")}\n${rows[0]}\n`)],
];

describe("the managed table as found in the wild, through the real CLI", () => {
  it.each(wildTables)("%s: nothing is delivered again and the file is not touched", async (_, variant) => {
    const s = await Scenario.start();
    try {
      await cp(template.stateDir, s.stateDir, { recursive: true });
      const tableFile = join(s.stateDir, "analyses_managed_table.txt");
      const rows = (await readFile(tableFile, "utf8")).split("\n").slice(1).filter((line) => line !== "");
      expect(rows).toHaveLength(8);
      const wild = variant(rows);
      await writeFile(tableFile, wild);
      const result = await runCliProcess(cli, await s.cliArgs(), { env: s.cliEnv() });

      expect(errorLines(result.stderr)).toEqual([]);
      expect(result.code).toBe(0);
      expect(await readFile(tableFile)).toEqual(wild);
      // No linking batch and no manifest: not one analysis was taken for new.
      expect(s.proxy.requests.filter((r) => /dataLinkingBatch|createFile/.test(r.path))).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
