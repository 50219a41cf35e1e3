import { z } from "zod";
import { AssumptionSwitchError, type AssumptionView } from "./assumption-switches.js";
import { FinishAnalysisError, type FaultConfig, type FinishingAnalysis } from "./context.js";
import { FaultConfigError, faultConfigPatchSchema, type FaultConfigPatch } from "./faults.js";
import { Router, type SimRequest, type SimResponse } from "./http/router.js";
import { PersonHookError, type PersonHookInput, type PersonHookView } from "./person-hooks.js";
import type { RequestLogPage } from "./request-log.js";
import type { StatsSnapshot } from "./stats.js";
import { describeZodError } from "./zod-error.js";

export interface SimState {
  /** sha256 (hex) over the sorted-keys JSON of every service's snapshot(): equal digests, equal state. */
  digest: string;
  counts: { ica: ServiceCounts; basespace: ServiceCounts; s3: ServiceCounts };
  simTimeMs: number;
  /** Scheduled changes (archiving, restores, link batches) not yet due. */
  pendingChanges: number;
}

type ServiceCounts = Record<string, number | Record<string, number>>;

export interface ClockView {
  nowMs: number;
  /** ISO 8601. */
  now: string;
  pendingChanges: number;
}

/** What the control plane drives; `startSimulator()`'s result offers the same methods in-process. */
export interface ControlTarget {
  /** Every ICA, BaseSpace and S3 route template (`METHOD /path`), control plane excluded. */
  routes(): string[];
  stats(): StatsSnapshot;
  resetStats(): void;
  /** Back to the fixture's initial state: services rebuilt, clock rewound, scheduler, stats, log, faults cleared. */
  reset(): void;
  state(): SimState;
  faults(): FaultConfig;
  /** Throws FaultConfigError when the patch is invalid. */
  setFaults(patch: FaultConfigPatch): FaultConfig;
  requests(since?: number): RequestLogPage;
  /** Each unconfirmed behaviour, the alternative played now and the others. */
  assumptions(): AssumptionView[];
  /** `{"<id>": "<alternative>"}`; throws AssumptionSwitchError (nothing changed) for an unknown id or value. */
  setAssumptions(patch: unknown): AssumptionView[];
  clockView(): ClockView;
  /** Moves the simulated clock forward and applies the changes that became due. */
  advanceClock(ms: number): ClockView;
  /** People acting between two requests (person-hooks.ts); `reset()` clears them. */
  personHooks(): PersonHookView[];
  /** Throws PersonHookError when the hook is invalid. */
  addPersonHook(hook: PersonHookInput): PersonHookView[];
  clearPersonHooks(): void;
  /** Throws FinishAnalysisError for an origin that is not a SUCCEEDED analysis. */
  finishAnalysis(input: { analysisId: string; endInMs: number }): FinishingAnalysis;
}

const finishBodySchema = z.strictObject({ analysisId: z.string().min(1), endInMs: z.number().int().min(0) });
const clockBodySchema = z.strictObject({ advanceMs: z.number().int().min(0) });
const sinceSchema = z.coerce.number().int().min(0);

/** `/__sim/...`: test and demo hooks. The dispatcher never counts, logs or faults these routes. */
export function controlPlaneRouter(target: ControlTarget): Router {
  return new Router()
    .add("GET", "/__sim/routes", () => ok({ routes: target.routes() }))
    .add("GET", "/__sim/stats", () => ok(target.stats()))
    .add("POST", "/__sim/stats/reset", () => {
      target.resetStats();
      return { status: 204 };
    })
    .add("POST", "/__sim/reset", () => {
      target.reset();
      return { status: 204 };
    })
    .add("GET", "/__sim/state", () => ok(target.state()))
    .add("GET", "/__sim/faults", () => ok(target.faults()))
    .add("PUT", "/__sim/faults", (req) =>
      refusableBody(req, faultConfigPatchSchema, FaultConfigError, (patch) => target.setFaults(patch)),
    )
    .add("GET", "/__sim/assumptions", () => ok({ assumptions: target.assumptions() }))
    .add("PUT", "/__sim/assumptions", (req) =>
      refusableBody(req, z.unknown(), AssumptionSwitchError, (patch) => ({ assumptions: target.setAssumptions(patch) })),
    )
    .add("GET", "/__sim/requests", (req) => {
      const since = sinceSchema.safeParse(req.query.get("since") ?? 0);
      if (!since.success) return badRequest(`${req.route}: since must be a request seq (an integer >= 0)`);
      return ok(target.requests(since.data));
    })
    .add("GET", "/__sim/hooks", () => ok({ hooks: target.personHooks() }))
    .add("POST", "/__sim/hooks", (req) =>
      refusableBody(req, z.unknown(), PersonHookError, (hook) => ({ hooks: target.addPersonHook(hook as PersonHookInput) })),
    )
    .add("DELETE", "/__sim/hooks", () => {
      target.clearPersonHooks();
      return { status: 204 };
    })
    .add("POST", "/__sim/analyses:finish", (req) =>
      refusableBody(req, finishBodySchema, FinishAnalysisError, (input) => target.finishAnalysis(input)),
    )
    .add("GET", "/__sim/clock", () => ok(target.clockView()))
    .add("POST", "/__sim/clock", (req) =>
      withJsonBody(req, clockBodySchema, ({ advanceMs }) => ok(target.advanceClock(advanceMs))),
    );
}

/** `use(body)` answered 200; the target refusing the input (an error of `refused`) answered 400 naming the route. */
function refusableBody<T>(req: SimRequest, schema: z.ZodType<T>, refused: new (message: string) => Error, use: (body: T) => unknown): SimResponse {
  return withJsonBody(req, schema, (body) => {
    try {
      return ok(use(body));
    } catch (error) {
      if (error instanceof refused) return badRequest(`${req.route}: ${error.message}`);
      throw error;
    }
  });
}

function withJsonBody<T>(req: SimRequest, schema: z.ZodType<T>, use: (body: T) => SimResponse): SimResponse {
  let raw: unknown;
  try {
    raw = JSON.parse(req.body.toString("utf8"));
  } catch (error) {
    return badRequest(`${req.route}: the body must be JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? use(parsed.data) : badRequest(`${req.route}: ${describeZodError(parsed.error)}`);
}

const ok = (body: unknown): SimResponse => ({ status: 200, body });
const badRequest = (message: string): SimResponse => ({ status: 400, body: { error: message } });
