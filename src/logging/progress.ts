import type { Logger } from "winston";
import type { Writable } from "node:stream";

export interface Progress {
  /** Reports `done` units so far (of `total` when known). */
  update(done: number, total?: number): void;
  /** Ends the progress display and logs one summary line. */
  finish(summary: string): void;
}

/** A long stretch of work (a cycle's step) that must not go silent without a terminal. */
export interface Phase {
  end(): void;
}

/** Starts calling `tick` every `ms` and returns what stops it; tests pass one they drive by hand. */
export type Repeat = (ms: number, tick: () => void) => () => void;

export interface ProgressOptions {
  /** Where the live line goes on a terminal; stderr keeps stdout clean for tables and JSON. */
  stream?: Writable & { isTTY?: boolean };
  isTTY?: boolean;
  /** Without a terminal, the longest silence of a running phase: a cron log should show it is alive. */
  heartbeatMs?: number;
  now?: () => number;
  repeat?: Repeat;
}

/** Redraws on a terminal at most this often; faster is invisible and costs writes. */
const redrawIntervalMs = 100;
/** Issue 17: 16–18 s of silence on long steps looked like a hang in cron logs. */
const defaultHeartbeatMs = 10_000;

const everyMs: Repeat = (ms, tick) => {
  const timer = setInterval(tick, ms);
  // A forgotten phase must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
};

const describe = (label: string, done: number, total?: number): string =>
  total === undefined ? `${label}: ${done}` : `${label}: ${done}/${total}`;

/**
 * Progress of one cycle's long work (listing a large project, waiting for a batch, a multipart
 * upload). On a terminal, a live `\r` line. Without one, a running phase logs a line every
 * `heartbeatMs`: the latest progress when there is one, else how long it has been running; each
 * progress logs its summary when it finishes.
 */
export class ProgressBoard {
  private readonly stream: Writable & { isTTY?: boolean };
  private readonly tty: boolean;
  private readonly heartbeatMs: number;
  private readonly now: () => number;
  private readonly repeat: Repeat;
  /** The progress reported last and not finished yet, shown by the heartbeat. */
  private latest: string | undefined;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.isTTY ?? this.stream.isTTY === true;
    this.heartbeatMs = options.heartbeatMs ?? defaultHeartbeatMs;
    this.now = options.now ?? Date.now;
    this.repeat = options.repeat ?? everyMs;
  }

  /** Until `end()`, a line on `logger` (a step's: it names the step) at least every heartbeatMs when there is no terminal. */
  phase(logger: Logger): Phase {
    if (this.tty) return { end: () => undefined };
    const startedAt = this.now();
    const stop = this.repeat(this.heartbeatMs, () => {
      const seconds = Math.round((this.now() - startedAt) / 1000);
      logger.info(`still working after ${seconds} s${this.latest !== undefined ? ` (${this.latest})` : ""}`);
    });
    return { end: stop };
  }

  start(logger: Logger, label: string): Progress {
    let lastDrawn: number | undefined;
    return {
      update: (done, total) => {
        const line = describe(label, done, total);
        this.latest = line;
        if (!this.tty) return;
        const at = this.now();
        if (lastDrawn !== undefined && at - lastDrawn < redrawIntervalMs) return;
        this.stream.write(`\r\x1b[2K${line}`);
        lastDrawn = at;
      },
      finish: (summary) => {
        this.latest = undefined;
        if (lastDrawn !== undefined) this.stream.write("\r\x1b[2K");
        logger.info(`${label}: ${summary}`);
      },
    };
  }
}
