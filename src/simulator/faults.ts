import { z } from "zod";
import { faultKinds, type FaultConfig, type FaultKind, type FaultRule } from "./context.js";
import { SeededRandom } from "./fixtures/random.js";
import { describeZodError } from "./zod-error.js";
import type { SimResponse } from "./http/router.js";

const faultRuleSchema = z
  .strictObject({
    route: z
      .string()
      .regex(
        /^(\*|\/.*|[A-Z]+ \/.*)$/,
        "use *, a path prefix such as /v2/, or a route name such as GET /ica/rest/api/projects",
      ),
    rate: z.number().min(0).max(1),
    kinds: z.array(z.enum(faultKinds)).min(1),
    retryAfterSeconds: z.number().int().min(0).optional(),
    slowMs: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .refine((rule) => !rule.kinds.includes("slow") || rule.slowMs !== undefined, {
    message: 'a rule with kind "slow" needs slowMs (how long to hold the response)',
    path: ["slowMs"],
  });

/** The body of `PUT /__sim/faults`: any subset of FaultConfig; `rules` replaces the whole rule list. */
export const faultConfigPatchSchema = z.strictObject({
  seed: z.number().int().optional(),
  rules: z.array(faultRuleSchema).optional(),
  latencyMs: z.number().min(0).optional(),
  latencyJitterMs: z.number().min(0).optional(),
  linkItemFailures: z
    .strictObject({ dataIds: z.array(z.string()).default([]), rate: z.number().min(0).max(1).default(0) })
    .optional(),
  uploadsStayPartial: z.strictObject({ names: z.array(z.string()).default([]) }).optional(),
  vanishBeforeLink: z.strictObject({ dataIds: z.array(z.string()).default([]) }).optional(),
  events: z
    .strictObject({
      delayMs: z.number().int().min(0).default(0),
      delayJitterMs: z.number().int().min(0).default(0),
      duplicateRate: z.number().min(0).max(1).default(0),
      lossRate: z.number().min(0).max(1).default(0),
    })
    .optional(),
});

export type FaultConfigPatch = z.input<typeof faultConfigPatchSchema>;

export class FaultConfigError extends Error {
  override name = "FaultConfigError";
}

export function defaultFaultConfig(seed: number, latencyMs = 0): FaultConfig {
  return {
    seed,
    rules: [],
    latencyMs,
    latencyJitterMs: 0,
    linkItemFailures: { dataIds: [], rate: 0 },
    uploadsStayPartial: { names: [] },
    vanishBeforeLink: { dataIds: [] },
    events: { delayMs: 0, delayJitterMs: 0, duplicateRate: 0, lossRate: 0 },
  };
}

export interface FaultDecision {
  kind: FaultKind;
  rule: FaultRule;
}

/**
 * Decides, before a handler runs, whether a request is answered with a fault. It draws from its own
 * seeded PRNG, never the services' one, so switching faults on does not change any generated id; and
 * it is reseeded on every configuration change, so a scenario replays the same faults each time.
 */
export class FaultInjector {
  private current: FaultConfig;
  private injected: number[] = [];
  // Assigned by reseed(), from the constructor on.
  private draws!: SeededRandom;
  private jitterDraws!: SeededRandom;

  constructor(private readonly initial: FaultConfig) {
    this.current = initial;
    this.reseed();
  }

  /** The active configuration. Replaced, never mutated, on change: callers may keep the reference briefly. */
  config(): FaultConfig {
    return this.current;
  }

  /** Applies a partial configuration; throws FaultConfigError (one line, names the field) when it is invalid. */
  update(patch: FaultConfigPatch): FaultConfig {
    const parsed = faultConfigPatchSchema.safeParse(patch);
    if (!parsed.success) throw new FaultConfigError(`invalid fault configuration: ${describeZodError(parsed.error)}`);
    this.current = { ...this.current, ...parsed.data };
    this.reseed();
    return this.current;
  }

  /** Back to the configuration the simulator started with (no rules). */
  restore(): void {
    this.current = this.initial;
    this.reseed();
  }

  /** `route` is the matched template, `path` the raw request path. */
  decide(route: string, path: string): FaultDecision | undefined {
    for (const [i, rule] of this.current.rules.entries()) {
      if (rule.kinds.length === 0 || !routeMatches(rule.route, route, path)) continue;
      if (rule.limit !== undefined && (this.injected[i] ?? 0) >= rule.limit) continue;
      if (this.draws.next() >= rule.rate) continue;
      this.injected[i] = (this.injected[i] ?? 0) + 1;
      return { kind: rule.kinds[Math.floor(this.draws.next() * rule.kinds.length)] as FaultKind, rule };
    }
    return undefined;
  }

  /** Real milliseconds to hold every response (bench realism); 0 in tests unless asked for. */
  latencyMs(): number {
    const { latencyMs, latencyJitterMs } = this.current;
    return latencyJitterMs > 0 ? latencyMs + this.jitterDraws.next() * latencyJitterMs : latencyMs;
  }

  private reseed(): void {
    this.injected = [];
    this.draws = new SeededRandom(this.current.seed);
    // A stream of its own: turning jitter on must not change which requests get faults.
    this.jitterDraws = new SeededRandom(this.current.seed ^ 0x9e3779b9);
  }
}

/** `*`, a raw path prefix (`/v2/`) or a route name (`DELETE /v2/trash`); shared by fault rules and person hooks. */
export function routeMatches(pattern: string, route: string, path: string): boolean {
  if (pattern === "*") return true;
  return pattern.startsWith("/") ? path.startsWith(pattern) : pattern === route;
}

/**
 * The response for a 429/500/502/503 fault, in the error shape `fail` builds for the service that was
 * called. (`reset` and `slow` are not responses: the server acts them out.)
 */
export function faultResponse(
  decision: FaultDecision,
  fail: (status: number, message: string) => SimResponse,
): SimResponse {
  const status = Number(decision.kind);
  const response = fail(status, `simulated ${status} injected by the /__sim/faults rule for ${decision.rule.route}`);
  const retryAfter = decision.rule.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined && (status === 429 || status === 503)) {
    response.headers = { ...response.headers, "retry-after": String(retryAfter) };
  }
  return response;
}
