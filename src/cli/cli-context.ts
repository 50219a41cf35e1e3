import { homedir } from "node:os";
import type { Writable } from "node:stream";
import type { Logger } from "winston";
import type { Environment } from "../config/index.js";

type OutputStream = Writable & { isTTY?: boolean };

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
  /** Calls `listener` on SIGHUP (a closed terminal, a reload request); returns the unsubscribe function. */
  onHangup?(listener: () => void): () => void;
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
    onHangup(listener) {
      // Listening is what keeps Node from dying of it: its default for SIGHUP is to exit silently.
      process.on("SIGHUP", listener);
      return () => process.off("SIGHUP", listener);
    },
  };
}

/** What `run` and `watch` say when they get SIGHUP, which they ignore on purpose. */
const hangupIgnored =
  "SIGHUP received and ignored: the cycle goes on (settings are read again at the start of every cycle); stop with SIGTERM or SIGINT";

/**
 * An AbortSignal that fires (and logs why) on the context's shutdown request; `dispose` stops listening.
 * Meanwhile SIGHUP is ignored with a log line: a closed terminal or a reflexive `kill -HUP` must not
 * end a cycle half-way, and `watch` reloads its settings before each cycle anyway.
 */
export function shutdownSignal(context: CliContext, logger: Logger): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stopListening = context.onShutdown((name) => {
    const request = new ShutdownRequest(name);
    logger.info(request.message);
    controller.abort(request);
  });
  const stopIgnoring = context.onHangup?.(() => logger.warn(hangupIgnored));
  return {
    signal: controller.signal,
    dispose: () => {
      stopListening();
      stopIgnoring?.();
    },
  };
}

/** The abort reason: which signal asked to stop. */
class ShutdownRequest extends Error {
  override name = "ShutdownRequest";
  constructor(readonly signal: string) {
    super(`${signal} received: finishing the current step, then stopping`);
  }
}
