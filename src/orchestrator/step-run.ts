import type { CycleContext } from "./cycle-context.js";
import { failureFactOf } from "./failure-facts.js";
import { messageOf, StepRecorder } from "./step-recorder.js";

/** The steps of one cycle and what they reported. */
export class StepRun {
  readonly recorders: StepRecorder[] = [];
  readonly warnings: string[] = [];
  aborted = false;
  /** The configuration or credential failure that ended the cycle (a `fatal` kind), recorded as its step's error. */
  fatal: Error | undefined;

  constructor(
    private readonly ctx: CycleContext,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** A warning of the cycle rather than of one step (the managed table, the protect list). */
  warn(message: string): void {
    this.warnings.push(message);
    this.ctx.warnings.warn(this.ctx.logger, "cycle", message);
  }

  /**
   * Runs a step unless it must be skipped (`skipBecause`, or a shutdown request), which is reported
   * as a warning. A failure becomes the step's error and yields undefined, so that later steps that
   * need its result skip too — except the `fatal` kinds, which are recorded too and then end the cycle.
   */
  async step<T>(
    name: string,
    skipBecause: string | null,
    body: (rec: StepRecorder) => Promise<T>,
    options: { fatal?: ReadonlyArray<abstract new (...args: never[]) => Error> } = {},
  ): Promise<T | undefined> {
    const rec = new StepRecorder(name, this.ctx.logger, this.ctx.warnings);
    this.recorders.push(rec);
    const phase = this.ctx.progress.phase(rec.logger);
    try {
      return await this.runStep(rec, skipBecause, body, options);
    } finally {
      phase.end();
      rec.finish();
    }
  }

  private async runStep<T>(
    rec: StepRecorder,
    skipBecause: string | null,
    body: (rec: StepRecorder) => Promise<T>,
    options: { fatal?: ReadonlyArray<abstract new (...args: never[]) => Error> },
  ): Promise<T | undefined> {
    const { name } = rec;
    if (this.signal?.aborted && name !== "record") {
      this.aborted = true;
      rec.warn("skipped: shutdown requested");
      return undefined;
    }
    if (skipBecause !== null) {
      rec.warn(`skipped: ${skipBecause}`);
      return undefined;
    }
    try {
      return await body(rec);
    } catch (error) {
      const message = `${name} stopped: ${messageOf(error)}`;
      if (options.fatal?.some((kind) => error instanceof kind)) {
        rec.recordError(message, failureFactOf(error, name));
        this.fatal = error as Error;
        throw error;
      }
      rec.error(message, failureFactOf(error, name));
      return undefined;
    }
  }

  /**
   * A step that needs what an earlier one produced (`input`): skipped with `missing` as the reason
   * when that step did not produce it.
   */
  stepOn<I, T>(
    name: string,
    input: I | undefined,
    missing: string,
    body: (input: I, rec: StepRecorder) => Promise<T>,
    options: { fatal?: ReadonlyArray<abstract new (...args: never[]) => Error> } = {},
  ): Promise<T | undefined> {
    // The body runs only when the step is not skipped, that is, when the input is there.
    return this.step(name, input === undefined ? missing : null, (rec) => body(input as I, rec), options);
  }
}
