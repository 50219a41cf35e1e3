import type { Logger } from "winston";
import type { Writable } from "node:stream";

export interface Progress {
  /** Reports `done` units so far (of `total` when known). */
  update(done: number, total?: number): void;
  /** Ends the progress display and logs one summary line. */
  finish(summary: string): void;
}

export interface ProgressOptions {
  /** Where the live line goes on a terminal; stderr keeps stdout clean for tables and JSON. */
  stream?: Writable & { isTTY?: boolean };
  isTTY?: boolean;
  /** Without a terminal, log at most one line per interval (a cron log should not get one per page). */
  logIntervalMs?: number;
  now?: () => number;
}

/** Redraws on a terminal at most this often; faster is invisible and costs writes. */
const redrawIntervalMs = 100;

/**
 * Progress for long steps (listing a large project, waiting for a batch, a multipart upload): a
 * live `\r` line on a TTY, periodic log lines otherwise.
 */
export function startProgress(logger: Logger, label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = options.isTTY ?? stream.isTTY === true;
  const logIntervalMs = options.logIntervalMs ?? 30_000;
  const now = options.now ?? Date.now;
  let lastShown = now();
  let drawn = false;

  const describe = (done: number, total?: number): string =>
    total === undefined ? `${label}: ${done}` : `${label}: ${done}/${total}`;

  return {
    update(done, total) {
      const elapsed = now() - lastShown;
      if (tty) {
        if (elapsed < redrawIntervalMs && drawn) return;
        stream.write(`\r\x1b[2K${describe(done, total)}`);
        drawn = true;
      } else {
        if (elapsed < logIntervalMs) return;
        logger.info(describe(done, total));
      }
      lastShown = now();
    },
    finish(summary) {
      if (tty && drawn) stream.write("\r\x1b[2K");
      logger.info(`${label}: ${summary}`);
    },
  };
}
