import { homedir } from "node:os";
import type { Writable } from "node:stream";
import type { Logger } from "winston";
import type { Environment } from "../config/index.js";

export type OutputStream = Writable & { isTTY?: boolean };

/**
 * Everything a command reads from the process, passed in so that tests (and the demo) run commands
 * in-process with their own environment, home, streams and shutdown signal.
 */
export interface CliContext {
  env: Environment;
  homeDir: string;
  cwd: string;
  /** Results: plan and cycle tables, status, the doctor's checklist, the demo's summary. */
  stdout: OutputStream;
  /** Log lines and one-line errors, so that stdout stays clean for results. */
  stderr: OutputStream;
  /** Calls `listener` on a shutdown request (SIGTERM/SIGINT); returns the unsubscribe function. */
  onShutdown(listener: (signal: string) => void): () => void;
}

const shutdownSignals = ["SIGTERM", "SIGINT"] as const;

/**
 * The real process. While a command listens for shutdown, the first signal asks it to finish the
 * current step; a second one ends the process at once (exit 1), for an operator who cannot wait for a
 * long step. proper-lockfile releases the state lock on that exit too.
 */
export function processContext(): CliContext {
  return {
    env: process.env,
    homeDir: homedir(),
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    onShutdown(listener) {
      let received = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        received += 1;
        if (received > 1) {
          process.stderr.write(`ica-orchestrator: second ${signal}: stopping now, without finishing the current step\n`);
          process.exit(1);
        }
        listener(signal);
      };
      for (const signal of shutdownSignals) process.on(signal, onSignal);
      return () => shutdownSignals.forEach((signal) => process.off(signal, onSignal));
    },
  };
}

/** An AbortSignal that fires (and logs why) on the context's shutdown request; `dispose` stops listening. */
export function shutdownSignal(context: CliContext, logger: Logger): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const dispose = context.onShutdown((name) => {
    const request = new ShutdownRequest(name);
    logger.info(request.message);
    controller.abort(request);
  });
  return { signal: controller.signal, dispose };
}

/** The abort reason: which signal asked to stop. */
export class ShutdownRequest extends Error {
  override name = "ShutdownRequest";
  constructor(readonly signal: string) {
    super(`${signal} received: finishing the current step, then stopping`);
  }
}
