// One reliability scenario: a simulator with recognisable secrets, the proxy the tool talks through, a
// temporary state directory, in-process cycles with a capturing logger, and the end state to compare.
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { settingDefaults, settingsSchema, type Settings, type SettingsDraft } from "../../src/config/index.js";
import { IcaClient } from "../../src/ica/client.js";
import { closeLogger, createLogger, SecretRedactor } from "../../src/logging/index.js";
import { runCycle, type CycleReport } from "../../src/orchestrator/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import { writeCredentialsFiles } from "../../src/simulator/credentials-files.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/server.js";
import { openJournal, readManagedTable, statePaths } from "../../src/state/index.js";
import { startApiProxy, type ApiProxy } from "./api-proxy.js";
import { errorText, readTree, reliabilityApiKey, reliabilityToken, SecretSet } from "./secrets.js";
import type { CycleOptions } from "../../src/orchestrator/run-cycle.js";

/** Asynchronous changes (archive, unarchive, restore, link batches) happen on the next request. */
const instantTimings = { icaLinkBatchMs: 0, icaArchiveMs: 0, icaUnarchiveMs: 0, icaDeleteMs: 0, bsRestoreMs: 0 };

/** Short backoff so that retries cost milliseconds; 3 retries = 4 attempts per request. */
const shortRetry = { baseDelayMs: 5, retries: 3 };

/** Collects what the logger writes. */
class TextSink extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface EndState {
  digest: string;
  /** `analysisId,runId`, sorted. */
  table: string[];
  /** Data lines of the table file as written (a duplicated row would show here). */
  tableLines: number;
  /** `<run>.download_manifest.csv` → content, in the state directory. */
  localManifests: Record<string, string>;
  /** Every file path of the destination project, sorted, duplicates kept. */
  destinationFiles: string[];
  journal: { managing: string[]; pendingIcaDeletes: string[]; basespaceRestores: string[]; trashedByUs: string[] };
}

export interface ScenarioOptions extends Partial<Omit<SimulatorOptions, "fixture">> {
  fixture?: SimulatorOptions["fixture"];
}

export class Scenario {
  readonly console = new TextSink();
  /** Messages of errors thrown out of a cycle, searched for secrets too. */
  readonly thrown: string[] = [];

  /** `<root>/state`: not created here, so that the tool creates it itself. */
  readonly stateDir: string;

  private constructor(
    readonly sim: Simulator,
    readonly proxy: ApiProxy,
    readonly secrets: SecretSet,
    /** A temporary directory holding the state directory, the credential files and an empty home. */
    readonly root: string,
  ) {
    this.stateDir = join(root, "state");
  }

  static async start(options: ScenarioOptions = {}): Promise<Scenario> {
    const sim = await startSimulator({
      fixture: "demo",
      icaApiKey: reliabilityApiKey,
      basespaceToken: reliabilityToken,
      timings: instantTimings,
      ...options,
    });
    const secrets = new SecretSet(sim.apiKey, sim.basespaceToken);
    const proxy = await startApiProxy(sim.icaUrl, secrets);
    const root = await mkdtemp(join(tmpdir(), "reliability-"));
    await mkdir(join(root, "home"));
    return new Scenario(sim, proxy, secrets, root);
  }

  /**
   * The original tool's command line for this scenario: the key and the bs config (0600, apiServer
   * through the proxy) in `<root>/credentials`, state in `<root>/state`.
   */
  async cliArgs(): Promise<string[]> {
    const files = await writeCredentialsFiles(join(this.root, "credentials"), {
      apiKey: this.sim.apiKey,
      basespaceUrl: this.proxy.url,
      basespaceToken: this.sim.basespaceToken,
    });
    return [
      "--server_url", this.proxy.url,
      "--api_key_file", files.apiKeyFile,
      "--basespace_access_token_file", files.basespaceConfigFile,
      "--source_project_name", SOURCE_PROJECT_NAME,
      "--destination_project_name", DESTINATION_PROJECT_NAME,
      "--state_dir", this.stateDir,
      // Only the delivering cycle holds data back, so a scenario's few cycles reach every lifecycle action.
      "--min_days_after_delivery", "0",
      // Worlds start from an empty table next to old analyses: the first cycle delivers them all.
      "--adopt", "deliver",
      // Scenarios are about other things than the canary (test/orchestrator/cycle-canary.test.ts): full rate from the first cycle.
      "--canary", "off",
    ];
  }

  /** The child's whole environment: an empty home, so no real ~/.icav2 or ~/.basespace is read. */
  cliEnv(): Record<string, string> {
    return { HOME: join(this.root, "home") };
  }

  /** Settings as the CLI would build them, pointing at the proxy. */
  settings(overrides: Partial<SettingsDraft> = {}): Settings {
    return settingsSchema.parse({
      ...settingDefaults,
      source: { name: SOURCE_PROJECT_NAME },
      destination: { name: DESTINATION_PROJECT_NAME },
      apiKey: this.sim.apiKey,
      icaBaseUrl: this.proxy.url,
      basespaceApiServer: this.proxy.url,
      basespaceAccessToken: this.sim.basespaceToken,
      stateDir: this.stateDir,
      requestTimeoutMs: 10_000,
      linkDeadlineMs: 10_000,
      minDaysAfterDelivery: 0, // as cliArgs
      adopt: "deliver", // as cliArgs
      canary: "off", // as cliArgs
      ...overrides,
    });
  }

  /** One cycle in this process, `now` on the simulator's clock, logging at debug level into `console`. */
  async cycle(settings: Settings = this.settings(), options: Partial<Pick<CycleOptions, "retry" | "signal">> = {}): Promise<CycleReport> {
    // Empty on purpose: the cycle must register the key, the token and the URLs it is handed itself.
    const redactor = new SecretRedactor();
    const logger = createLogger({ redactor, level: "debug", console: { stream: this.console, colors: false } });
    try {
      return await runCycle(settings, { logger, redactor, now: () => new Date(this.sim.clock.now()), retry: shortRetry, ...options });
    } catch (error) {
      this.thrown.push(errorText(error));
      throw error;
    } finally {
      await closeLogger(logger);
    }
  }

  /**
   * Cycles until one ends "ok" without changing the simulator's state (the digest is the same before
   * and after it). Returns the reports; throws when that does not happen within `maxCycles`.
   */
  async converge(settings: Settings = this.settings(), maxCycles = 8): Promise<CycleReport[]> {
    const reports: CycleReport[] = [];
    while (reports.length < maxCycles) {
      await settled(this.sim);
      const before = this.sim.state().digest;
      const report = await this.cycle(settings);
      reports.push(report);
      await settled(this.sim);
      if (report.outcome === "ok" && this.sim.state().digest === before) return reports;
    }
    const last = reports.at(-1);
    throw new Error(`no stable cycle within ${maxCycles} cycles; last outcome ${last?.outcome}: ${last?.errors.join(" | ")}`);
  }

  async endState(settings: Settings = this.settings()): Promise<EndState> {
    return readEndState(this.sim, settings);
  }

  /** Everything the tool wrote or printed, for the secrets check. */
  async outputs(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    const files = await readTree(this.stateDir);
    return {
      ...Object.fromEntries(Object.entries(files).map(([path, text]) => [`state/${path}`, text])),
      console: this.console.text,
      thrown: this.thrown.join("\n"),
      ...extra,
    };
  }

  async close(): Promise<void> {
    await this.proxy.close();
    await this.sim.stop();
    await rm(this.root, { recursive: true, force: true });
  }
}

/** What a run leaves behind, read from the simulator (through its API) and from the state directory. */
async function readEndState(sim: Simulator, settings: Settings): Promise<EndState> {
  const paths = statePaths(settings.stateDir);
  const table = await readManagedTable(settings.managedTablePath);
  const tableText = await readFile(settings.managedTablePath, "utf8").catch(() => "");
  const journal = (await openJournal(paths.journal, { readOnly: true })).data;
  // Only manifests: a write killed half-way leaves write-file-atomic's `<name>.<number>` temporary behind.
  const names = (await readdir(paths.manifests).catch(() => [] as string[])).filter((name) => name.endsWith(".csv"));
  const localManifests = Object.fromEntries(
    await Promise.all(names.sort().map(async (name) => [name, await readFile(join(paths.manifests, name), "utf8")] as const)),
  );
  const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
  const destination = sim.fixture.ica.projects.find((p) => p.name === DESTINATION_PROJECT_NAME);
  const destinationFiles: string[] = [];
  if (destination) for await (const item of ica.listData(destination.id, { type: "FILE" })) destinationFiles.push(item.path);
  const keys = (record: Record<string, unknown>) => Object.keys(record).sort();
  return {
    digest: sim.state().digest,
    table: table.rows.map((r) => `${r.analysisId},${r.runId}`).sort(),
    tableLines: tableText.split(/\r?\n/).slice(1).filter((line) => line.trim() !== "").length,
    localManifests,
    destinationFiles: destinationFiles.sort(),
    journal: {
      managing: keys(journal.managing),
      pendingIcaDeletes: keys(journal.pendingIcaDeletes),
      basespaceRestores: keys(journal.basespaceRestores),
      trashedByUs: keys(journal.trashedByUs),
    },
  };
}

/**
 * Waits until the simulator answers no request any more: a `slow` fault runs its handler after the
 * client has given up, and the state must not change behind a comparison.
 */
async function settled(sim: Simulator): Promise<void> {
  while (sim.requests(0).requests.some((entry) => entry.status === null && entry.fault !== "reset")) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Paths listed more than once. */
export function duplicates(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(items.filter((item) => seen.has(item) || !seen.add(item)))];
}
