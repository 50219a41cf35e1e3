import { SimClock, Scheduler } from "./clock.js";
import type { FaultConfig, IcaControls, ObjectStore, SimContext, SimService, SimTimings } from "./context.js";
import type { BasespaceFixture, Fixture, IcaFixture } from "./fixtures/format.js";
import { SeededRandom } from "./fixtures/random.js";
import { Router } from "./http/router.js";
import type { SqsQueues } from "./sqs/sqs-queues.js";

export type SimUrls = ReturnType<SimContext["urls"]>;
/** @internal exported for the tests */
export type S3Context = Pick<SimContext, "clock" | "timings" | "random" | "urls">;

/** How the services are built: the real ones in server.ts, small fakes in the core's tests. */
export interface ServiceFactories {
  ica(ctx: SimContext, fixture: IcaFixture): SimService & Partial<IcaControls>;
  basespace(ctx: SimContext, fixture: BasespaceFixture): SimService;
  s3(ctx: S3Context): SimService & { store: ObjectStore };
}

export interface WorldSettings {
  startMs: number;
  seed: number;
  timings: SimTimings;
  faults(): FaultConfig;
  assumptions: SimContext["assumptions"];
  urls(): SimUrls;
  queues: SqsQueues;
}

/** Everything that `/__sim/reset` throws away and rebuilds from the fixture. */
export interface World {
  clock: SimClock;
  scheduler: Scheduler;
  objects: ObjectStore;
  services: { ica: SimService & Partial<IcaControls>; basespace: SimService; s3: SimService };
  /** ICA and BaseSpace routes (the first server). */
  router: Router;
  /** S3 routes (the second server). */
  s3Router: Router;
  /** Ends the timers this world's services started; called when the world is replaced or stopped. */
  retire(): void;
}

/**
 * Builds the services from the fixture with the simulated clock standing still at `startMs`, so every
 * "days ago" in the fixture lands on the same instant each time: a rebuilt world has the same state
 * digest as the first one. The clock runs on from `startMs` once building is done.
 */
export function buildWorld(factories: ServiceFactories, fixture: Fixture, settings: WorldSettings): World {
  let frozenRealMs: number | undefined = Date.now();
  const clock = new SimClock(settings.startMs, () => frozenRealMs ?? Date.now());
  try {
    const scheduler = new Scheduler(clock);
    const draws = new SeededRandom(settings.seed);
    const random = () => draws.next();
    const lifetime = new AbortController();
    const s3 = factories.s3({ clock, timings: settings.timings, random, urls: settings.urls });
    const ctx: SimContext = {
      clock,
      scheduler,
      timings: settings.timings,
      objects: s3.store,
      faults: settings.faults,
      assumptions: settings.assumptions,
      random,
      urls: settings.urls,
      queues: settings.queues,
      retired: lifetime.signal,
    };
    const ica = factories.ica(ctx, fixture.ica);
    const basespace = factories.basespace(ctx, fixture.basespace);
    const router = new Router();
    ica.registerRoutes(router);
    basespace.registerRoutes(router);
    const s3Router = new Router();
    s3.registerRoutes(s3Router);
    return {
      clock,
      scheduler,
      objects: s3.store,
      services: { ica, basespace, s3 },
      router,
      s3Router,
      retire: () => lifetime.abort(),
    };
  } finally {
    frozenRealMs = undefined;
  }
}
