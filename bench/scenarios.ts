import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { SettingsDraft } from "../src/config/index.js";
import { SOURCE_PROJECT_NAME } from "../src/simulator/fixtures/identities.js";
import type { Simulator } from "../src/simulator/index.js";
import { benchSettingsDraft, parseBenchSettings } from "./cycle-spec.js";
import { converge, measureScenario, steadyCallsOver, type Latency } from "./measure.js";
import type { CycleScenarioName, ScenarioName, ScenarioResult } from "./results.js";
import { writeManagedTable } from "./scale-state.js";
import { measureDataPageMs, startTimed } from "./simulator-figures.js";

export interface GroupContext {
  latency: Latency;
  workDir: string;
  selected: ReadonlySet<ScenarioName>;
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
      const result = await measureScenario({ ...base, label: "lab-year-dry", phase: "dry", settings: { ...settings, dryRun: true } });
      if (sim.state().digest !== before) throw new Error("lab-year-dry changed the simulator's state: a dry run must write nothing");
      ctx.record("lab-year-dry", result);
    }
    if (ctx.selected.has("lab-year-first")) {
      ctx.record("lab-year-first", await measureScenario({ ...base, label: "lab-year-first", phase: "first", settings }));
    }
    if (ctx.selected.has("lab-year-steady")) {
      await converge({ sim, settings: { ...settings, ...preparation }, workDir: ctx.workDir, label: "lab-year-prepare", settleMs: settleMsOf(sim), maxCycles: maxPreparationCycles, progress: ctx.progress });
      const steady = await measureScenario({ ...base, label: "lab-year-steady", phase: "steady", settings });
      const nextCycles = await steadyCallsOver({ sim, settings, workDir: ctx.workDir, label: "lab-year-steady-next" }, nextSteadyCycles);
      ctx.record("lab-year-steady", { ...steady, nextCycles });
    }
    return { labYearLoadMs: loadMs, page1000Ms };
  } finally {
    await sim.stop();
  }
}

export interface ScaleFigures {
  scale1mLoadMs: number;
}

/**
 * scale-1m: the managed table is written from the fixture (see scale-state.ts), cycles converge the
 * rest (classification and lifecycle, without latency), then the steady cycle is measured.
 */
export async function runScale(ctx: GroupContext): Promise<ScaleFigures> {
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
    ctx.record(
      "scale-1m-steady",
      await measureScenario({ sim, fixture: sim.fixture, loadedAtMs, latency: ctx.latency, workDir: ctx.workDir, label: "scale-1m-steady", phase: "steady", settings }),
    );
    return { scale1mLoadMs: loadMs };
  } finally {
    await sim.stop();
  }
}
