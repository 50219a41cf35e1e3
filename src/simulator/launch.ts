import { setMaxListeners } from "node:events";
import { SimAssumptions, type AssumptionValues } from "./assumption-switches.js";
import type { SimClock } from "./clock.js";
import { defaultTimings, FinishAnalysisError, type ObjectStore, type SimTimings } from "./context.js";
import { controlPlaneRouter, type ClockView, type ControlTarget, type SimState } from "./control-plane.js";
import { writeCredentialsFiles } from "./credentials-files.js";
import { capFileBytes } from "./file-bytes-cap.js";
import { stateDigest } from "./digest.js";
import { defaultFaultConfig, FaultInjector } from "./faults.js";
import type { Fixture, FixtureInput } from "./fixtures/format.js";
import { errorFlavorForPath } from "./http/error-response.js";
import { createDispatcher, listen, type DispatchOptions, type ListeningServer } from "./http/serve.js";
import { PersonHooks } from "./person-hooks.js";
import { RequestLog } from "./request-log.js";
import { sqsHandler } from "./sqs/sqs-api.js";
import { SqsQueues } from "./sqs/sqs-queues.js";
import { RequestStats } from "./stats.js";
import { buildWorld, type ServiceFactories, type SimUrls, type World } from "./world.js";

export interface SimulatorOptions {
  /** A preset name (`demo`, `lab-year`, `scale-1m`), a path to a fixture .json file, or a fixture object. */
  fixture: Fixture | FixtureInput | string;
  /** Default 127.0.0.1. */
  host?: string;
  /** ICA + BaseSpace + `/__sim` port; default 0 (any free port). */
  port?: number;
  /** S3 port; default 0. */
  s3Port?: number;
  /** SQS port (the simulator's own minimal SQS API); default 0. */
  sqsPort?: number;
  /** Real milliseconds added to every response (the fault config's `latencyMs`). */
  latencyMs?: number;
  timings?: Partial<SimTimings>;
  /** Write `ica_api_key.txt` and `default.cfg` (0600) here; nothing is written when omitted. */
  credentialsDir?: string;
  /** Seeds generated ids, presets and faults; default 1. */
  seed?: number;
  /** Simulated time at start (epoch ms); default the real time. `/__sim/reset` rewinds to it. */
  startMs?: number;
  /** Replaces the fixture's first ICA API key, so a test can use a recognisable secret. */
  icaApiKey?: string;
  /** Replaces the fixture's first BaseSpace token. */
  basespaceToken?: string;
  /** Print handler errors with their stack to stderr. */
  debug?: boolean;
  /** How many requests `/__sim/requests` keeps; default 10,000. */
  requestLogCapacity?: number;
  /** Alternatives to play instead of the defaults (assumption-switches.ts), e.g. `{"bs.trash-endpoint": "absent"}`. */
  assume?: Partial<AssumptionValues>;
  /** Every ICA file lists and serves at no more than this many bytes (file-bytes-cap.ts); default: no cap. */
  fileBytesCap?: number;
}

export interface Simulator extends ControlTarget {
  /** Use like the original tool's `--server_url`: the client appends `/ica/rest`. */
  readonly icaUrl: string;
  /** BaseSpace `apiServer` (`/v1pre3/...`, `/v2/...`); the same server as icaUrl. */
  readonly basespaceUrl: string;
  /** The S3 endpoint (path-style), a second server. */
  readonly s3Url: string;
  /** The SQS endpoint (AWS JSON protocol), a third server; its queue URLs are `<sqsUrl>/000000000000/<name>`. */
  readonly sqsUrl: string;
  /** The SQS queues behind sqsUrl (tests read their depth). Kept across `reset()`, which empties them. */
  readonly queues: SqsQueues;
  readonly apiKey: string;
  readonly basespaceToken: string;
  readonly apiKeyFile?: string;
  readonly basespaceConfigFile?: string;
  /** The fixture as loaded, with icaApiKey / basespaceToken applied. */
  readonly fixture: Fixture;
  readonly timings: SimTimings;
  /** The current simulated clock. `reset()` replaces it: read it here each time rather than keeping it. */
  readonly clock: SimClock;
  /** The current S3 object store (also replaced by `reset()`). */
  readonly objects: ObjectStore;
  /** Closes the servers and their open connections, cutting latency/slow holds short. Idempotent. */
  stop(): Promise<void>;
}

/** startSimulator() with the services passed in; the core's tests pass small fakes. */
export async function launchSimulator(
  factories: ServiceFactories,
  options: SimulatorOptions & { fixture: Fixture },
): Promise<Simulator> {
  const fixture = capFileBytes(withSecrets(options.fixture, options), options.fileBytesCap);
  const timings: SimTimings = { ...defaultTimings, ...options.timings };
  const seed = options.seed ?? 1;
  const startMs = options.startMs ?? Date.now();
  const host = options.host ?? "127.0.0.1";
  const faults = new FaultInjector(defaultFaultConfig(seed, options.latencyMs ?? 0));
  const assumptions = new SimAssumptions(options.assume);
  const stats = new RequestStats();
  const log = new RequestLog(options.requestLogCapacity);
  const lifetime = new AbortController();
  // Every request waiting out its latency listens on it: hundreds at a time under a benchmark's load.
  setMaxListeners(0, lifetime.signal);

  // Listen first: services may need their URLs (hrefs) while loading the fixture.
  const main = await listen(host, options.port ?? 0);
  let s3: ListeningServer;
  let sqs: ListeningServer;
  try {
    s3 = await listen(host, options.s3Port ?? 0);
  } catch (error) {
    await main.close();
    throw error;
  }
  try {
    sqs = await listen(host, options.sqsPort ?? 0);
  } catch (error) {
    await Promise.all([main.close(), s3.close()]);
    throw error;
  }
  const urls: SimUrls = { icaUrl: main.url, basespaceUrl: main.url, s3Url: s3.url, sqsUrl: sqs.url };
  const queues = new SqsQueues();
  const settings = { startMs, seed, timings, faults: () => faults.config(), assumptions, urls: () => urls, queues };
  const build = () => buildWorld(factories, fixture, settings);
  let world: World;
  try {
    world = build();
  } catch (error) {
    await Promise.all([main.close(), s3.close(), sqs.close()]);
    throw error;
  }

  const people = new PersonHooks({
    router: () => world.router,
    apiKey: firstApiKey(fixture),
    basespaceToken: firstToken(fixture),
  });
  const clockView = (): ClockView => {
    const nowMs = world.clock.now();
    return { nowMs, now: new Date(nowMs).toISOString(), pendingChanges: world.scheduler.pending() };
  };
  const control: ControlTarget = {
    routes: () => [...world.router.list(), ...world.s3Router.list()],
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    reset: () => {
      world.scheduler.clear();
      world.retire();
      queues.clear();
      world = build();
      faults.restore();
      people.clear();
      assumptions.restore();
      stats.reset();
      log.clear();
    },
    state: (): SimState => {
      world.scheduler.runDue();
      const { ica, basespace, s3: objects } = world.services;
      return {
        digest: stateDigest({ ica: ica.snapshot(), basespace: basespace.snapshot(), s3: objects.snapshot() }),
        counts: { ica: ica.counts(), basespace: basespace.counts(), s3: objects.counts() },
        simTimeMs: world.clock.now(),
        pendingChanges: world.scheduler.pending(),
      };
    },
    faults: () => faults.config(),
    setFaults: (patch) => faults.update(patch),
    assumptions: () => assumptions.list(),
    setAssumptions: (patch) => assumptions.update(patch),
    requests: (since) => log.since(since),
    clockView,
    advanceClock: (ms) => {
      world.clock.advance(ms);
      world.scheduler.runDue();
      return clockView();
    },
    personHooks: () => people.list(),
    addPersonHook: (hook) => people.add(hook),
    clearPersonHooks: () => people.clear(),
    finishAnalysis: (input) => {
      const finish = world.services.ica.finishAnalysis;
      if (!finish) throw new FinishAnalysisError("this simulator's ICA runs no analyses");
      return finish(input);
    },
  };

  const shared: Omit<DispatchOptions, "world" | "control" | "errorFlavor"> = {
    stats,
    log,
    faults,
    signal: lifetime.signal,
    debug: options.debug ?? false,
  };
  main.server.on(
    "request",
    createDispatcher({
      ...shared,
      world: () => world,
      control: controlPlaneRouter(control),
      afterRequest: (route, path) => people.afterRequest(route, path),
      errorFlavor: errorFlavorForPath,
    }),
  );
  s3.server.on(
    "request",
    createDispatcher({ ...shared, world: () => ({ ...world, router: world.s3Router }), errorFlavor: () => "s3" }),
  );
  sqs.server.on("request", sqsHandler(queues, () => sqs.url, lifetime.signal));

  const apiKey = firstApiKey(fixture);
  const basespaceToken = firstToken(fixture);
  const stop = async () => {
    lifetime.abort();
    world.retire();
    queues.clear();
    await Promise.all([main.close(), s3.close(), sqs.close()]);
  };
  let files;
  try {
    files = options.credentialsDir
      ? await writeCredentialsFiles(options.credentialsDir, { apiKey, basespaceUrl: urls.basespaceUrl, basespaceToken })
      : undefined;
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    ...control,
    ...urls,
    apiKey,
    basespaceToken,
    ...files,
    queues,
    fixture,
    timings,
    get clock() {
      return world.clock;
    },
    get objects() {
      return world.objects;
    },
    stop,
  };
}

/** The fixture schema requires at least one key and one token; these read them. */
const firstApiKey = (fixture: Fixture): string => fixture.ica.apiKeys[0]?.key ?? "";
const firstToken = (fixture: Fixture): string => fixture.basespace.tokens[0]?.token ?? "";

function withSecrets(fixture: Fixture, options: Pick<SimulatorOptions, "icaApiKey" | "basespaceToken">): Fixture {
  const { icaApiKey, basespaceToken } = options;
  const [firstKey, ...otherKeys] = fixture.ica.apiKeys;
  const [firstTok, ...otherTokens] = fixture.basespace.tokens;
  return {
    ...fixture,
    ica: icaApiKey && firstKey ? { ...fixture.ica, apiKeys: [{ ...firstKey, key: icaApiKey }, ...otherKeys] } : fixture.ica,
    basespace:
      basespaceToken && firstTok
        ? { ...fixture.basespace, tokens: [{ ...firstTok, token: basespaceToken }, ...otherTokens] }
        : fixture.basespace,
  };
}
