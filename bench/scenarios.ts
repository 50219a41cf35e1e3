import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { SettingsDraft } from "../src/config/index.js";
import { SOURCE_PROJECT_NAME } from "../src/simulator/fixtures/identities.js";
import type { Simulator } from "../src/simulator/index.js";
import { benchSettingsDraft, parseBenchSettings } from "./cycle-spec.js";
import { runCycleProcess } from "./cycle-process.js";
import { converge, measureScenario, sameCycleAgain, steadyCallsOver, withMedianRss, type Latency } from "./measure.js";
import type { CycleScenarioName, ScenarioName, ScenarioResult } from "./results.js";
import { writeManagedTable } from "./scale-state.js";
import { measureDataPageMs, startTimed } from "./simulator-figures.js";

export interface GroupContext {
  latency: Latency;
  workDir: string;
  selected: ReadonlySet<ScenarioName>;
  /** bench --rss-runs: runs of a scenario near the RSS bound (measure.ts withMedianRss). */
  rssRuns: number;
  progress: (line: string) => void;
  /** Called as soon as a scenario is measured, so a later failure does not lose it. */
  record: (name: CycleScenarioName, result: ScenarioResult) => void;
}

/**
 * Preparation cycles may delete without the per-cycle cap: they only bring the simulator to the
 * converged state, and at the default cap of 500 scale-1m would need ~45 cycles to get there.
 */
const preparation: Partial<SettingsDraft> = { deleteCap: 1_000_000 };
const maxPreparationCycles = 8;
/** Steady cycles after the measured one, to show that a steady cycle's calls do not grow. */
const nextSteadyCycles = 5;

const settleMsOf = (sim: Simulator): number =>
  Math.max(sim.timings.icaArchiveMs, sim.timings.icaUnarchiveMs, sim.timings.icaDeleteMs, sim.timings.bsRestoreMs, sim.timings.bsArchiveMs) +
  1_000;

/** Starts `fixture` with the simulated clock pinned to now, so fixture ages are measured from a known instant. */
async function startGroup(fixture: string) {
  const loadedAtMs = Date.now();
  const { sim, loadMs } = await startTimed({ fixture, startMs: loadedAtMs });
  const source = sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME);
  if (!source) throw new Error(`fixture ${fixture} has no source project ${SOURCE_PROJECT_NAME}`);
  return { sim, loadMs, loadedAtMs, sourceProjectId: source.id };
}

export interface LabYearFigures {
  labYearLoadMs: number;
  page1000Ms: number;
}

/** lab-year: dry run and first cycle on the fresh fixture, then (after converging) the steady cycle. */
export async function runLabYear(ctx: GroupContext): Promise<LabYearFigures> {
  const { sim, loadMs, loadedAtMs, sourceProjectId } = await startGroup("lab-year");
  try {
    ctx.progress(`lab-year loaded in ${loadMs} ms`);
    const page1000Ms = await measureDataPageMs(sim, sourceProjectId);
    const stateDir = join(ctx.workDir, "lab-year-state");
    await mkdir(stateDir, { recursive: true });
    const base = { sim, fixture: sim.fixture, loadedAtMs, latency: ctx.latency, workDir: ctx.workDir };
    const settings = benchSettingsDraft(sim, stateDir);

    if (ctx.selected.has("lab-year-dry")) {
      const before = sim.state().digest;
      const run = { ...base, label: "lab-year-dry", settings: { ...settings, dryRun: true } };
      const result = await withMedianRss(await measureScenario({ ...run, phase: "dry" }), ctx.rssRuns, sameCycleAgain(run));
      if (sim.state().digest !== before) throw new Error("lab-year-dry changed the simulator's state: a dry run must write nothing");
      ctx.record("lab-year-dry", result);
    }
    if (ctx.selected.has("lab-year-first")) {
      const result = await measureScenario({ ...base, label: "lab-year-first", phase: "first", settings });
      ctx.record("lab-year-first", await withMedianRss(result, ctx.rssRuns, (run) => freshFirstCycle(ctx, "lab-year", `lab-year-first-rss${run}`, ctx.latency)));
    }
    if (ctx.selected.has("lab-year-steady")) {
      await converge({ sim, settings: { ...settings, ...preparation }, workDir: ctx.workDir, label: "lab-year-prepare", settleMs: settleMsOf(sim), maxCycles: maxPreparationCycles, progress: ctx.progress });
      const run = { ...base, label: "lab-year-steady", settings };
      // The reruns for the peak RSS start from the same state as the measured cycle, before the clock moves on.
      const steady = await withMedianRss(await measureScenario({ ...run, phase: "steady" }), ctx.rssRuns, sameCycleAgain(run));
      const nextCycles = await steadyCallsOver({ sim, settings, workDir: ctx.workDir, label: "lab-year-steady-next" }, nextSteadyCycles);
      ctx.record("lab-year-steady", { ...steady, nextCycles });
    }
    return { labYearLoadMs: loadMs, page1000Ms };
  } finally {
    await sim.stop();
  }
}

/**
 * A first cycle on a freshly loaded `fixture`, in a state directory of its own: what a rerun of a first
 * scenario needs, since the measured run changed its simulator. Returns the child's peak RSS in KB.
 */
async function freshFirstCycle(ctx: GroupContext, fixture: string, label: string, latency: Latency): Promise<number> {
  const { sim } = await startGroup(fixture);
  try {
    const stateDir = join(ctx.workDir, `${label}-state`);
    await mkdir(stateDir, { recursive: true });
    sim.setFaults(latency);
    const child = await runCycleProcess({ settings: benchSettingsDraft(sim, stateDir), clockOffsetMs: sim.clock.now() - Date.now(), workDir: ctx.workDir, label });
    ctx.progress(`  ${label}: ${Math.round(child.wallMs)} ms, ${mb(child.maxRssKb)} MB peak RSS, ${child.outcome}`);
    return child.maxRssKb;
  } finally {
    await sim.stop();
  }
}

const mb = (kb: number): number => Math.round(kb / 1024);

export interface ScaleFigures {
  scale1mLoadMs: number;
}

/**
 * scale-1m-first runs without latency: a first cycle there makes ~60,000 calls (linking ~8,000
 * analyses' FASTQs), which at 50 ms each through a gate of 8 would take longer than the rest of the bench.
 */
const scaleFirstLatency: Latency = { latencyMs: 0, latencyJitterMs: 0 };

/** The scale-1m scenarios, each on a simulator of its own (two would not fit the bench's heap). */
export async function runScale(ctx: GroupContext): Promise<ScaleFigures> {
  const first = ctx.selected.has("scale-1m-first") ? await runScaleFirst(ctx) : undefined;
  const steady = ctx.selected.has("scale-1m-steady") ? await runScaleSteady(ctx) : undefined;
  return { scale1mLoadMs: steady ?? first ?? 0 };
}

/** scale-1m-first: the fresh fixture, an empty table and state, adoption by delivery (benchSettingsDraft). */
async function runScaleFirst(ctx: GroupContext): Promise<number> {
  const { result, loadMs } = await measureScaleFirst(ctx);
  const measured = { ...result, latencyMs: scaleFirstLatency.latencyMs };
  ctx.record("scale-1m-first", await withMedianRss(measured, ctx.rssRuns, (run) => freshFirstCycle(ctx, "scale-1m", `scale-1m-first-rss${run}`, scaleFirstLatency)));
  return loadMs;
}

/**
 * The measured run, in a function of its own so that its simulator is out of scope once it returns: held
 * by the caller's frame through the median's reruns, each of which loads another scale-1m, it ran the
 * bench's 4 GB heap out on the third run (two simulators of ~2 GB at once).
 */
async function measureScaleFirst(ctx: GroupContext): Promise<{ result: ScenarioResult; loadMs: number }> {
  const { sim, loadMs, loadedAtMs } = await startGroup("scale-1m");
  try {
    ctx.progress(`scale-1m loaded in ${loadMs} ms`);
    const stateDir = join(ctx.workDir, "scale-1m-first-state");
    await mkdir(stateDir, { recursive: true });
    const settings = benchSettingsDraft(sim, stateDir);
    const result = await measureScenario({ sim, fixture: sim.fixture, loadedAtMs, latency: scaleFirstLatency, workDir: ctx.workDir, label: "scale-1m-first", phase: "first", settings });
    return { result, loadMs };
  } finally {
    // Stopped before a rerun loads the fixture again.
    await sim.stop();
  }
}

/**
 * scale-1m-steady: the managed table is written from the fixture (see scale-state.ts), cycles converge
 * the rest (classification and lifecycle, without latency), then the steady cycle is measured.
 */
async function runScaleSteady(ctx: GroupContext): Promise<number> {
  const { sim, loadMs, loadedAtMs } = await startGroup("scale-1m");
  try {
    ctx.progress(`scale-1m loaded in ${loadMs} ms`);
    const stateDir = join(ctx.workDir, "scale-1m-state");
    await mkdir(stateDir, { recursive: true });
    const settings = benchSettingsDraft(sim, stateDir);
    const parsed = parseBenchSettings(settings);
    const managed = await writeManagedTable(parsed.managedTablePath, sim.fixture, parsed.bclConvertPattern);
    ctx.progress(`scale-1m: managed table written with ${managed} analyses`);
    await converge({ sim, settings: { ...settings, ...preparation }, workDir: ctx.workDir, label: "scale-1m-prepare", settleMs: settleMsOf(sim), maxCycles: maxPreparationCycles, progress: ctx.progress });
    const run = { sim, workDir: ctx.workDir, label: "scale-1m-steady", settings };
    const result = await measureScenario({ ...run, fixture: sim.fixture, loadedAtMs, latency: ctx.latency, phase: "steady" });
    ctx.record("scale-1m-steady", await withMedianRss(result, ctx.rssRuns, sameCycleAgain(run)));
    return loadMs;
  } finally {
    await sim.stop();
  }
}
