import lockfile from "proper-lockfile";
import { stat } from "node:fs/promises";
import { StateDirError, statePaths } from "./state-dir.js";

/** Another cycle holds the lock: the CLI prints the message and exits 0. */
export class LockHeldError extends Error {
  override name = "LockHeldError";
  constructor(
    readonly lockPath: string,
    refreshedSecondsAgo: number | undefined,
    staleMs: number,
  ) {
    const age = refreshedSecondsAgo === undefined ? "" : ` (refreshed ${refreshedSecondsAgo}s ago`;
    const takeover = `${age ? "; " : " ("}taken over if not refreshed for ${Math.round(staleMs / 1000)}s)`;
    super(`another ica-orchestrator cycle holds ${lockPath}${age}${takeover}; this cycle is skipped`);
  }
}

/** The lock was lost while held (its directory removed, or not refreshed within `staleMs`). */
export class LockCompromisedError extends Error {
  override name = "LockCompromisedError";
}

export interface StateLock {
  readonly path: string;
  /** Throws LockCompromisedError if the lock was lost; call before each destructive action. */
  assertHeld(): void;
  /** Idempotent. proper-lockfile also releases on normal exit, SIGINT and SIGTERM. */
  release(): Promise<void>;
}

export interface LockOptions {
  /**
   * A lock not refreshed for this long belongs to a dead process and is taken over. 30 s: cycles run
   * every 10 minutes, so a cycle killed with SIGKILL delays the next one by half a minute at most,
   * while a holder stalled by a slow disk or a long synchronous parse still has 6 refreshes of slack.
   */
  staleMs?: number;
  /** How often the holder refreshes the lock's mtime (at most staleMs / 2, per proper-lockfile). */
  updateMs?: number;
  /** Called once if the lock is compromised; assertHeld() throws from then on regardless. */
  onCompromised?: (error: LockCompromisedError) => void;
}

export const lockDefaults = { staleMs: 30_000, updateMs: 5_000 };

/** Takes the state directory's lock (`<state>/lock`) or throws LockHeldError at once (no waiting). */
export async function acquireStateLock(stateDir: string, options: LockOptions = {}): Promise<StateLock> {
  const { root, lock: lockPath } = statePaths(stateDir);
  const { staleMs, updateMs } = { ...lockDefaults, ...options };
  let compromised: LockCompromisedError | undefined;
  let released = false;
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(root, {
      lockfilePath: lockPath,
      stale: staleMs,
      update: updateMs,
      retries: 0,
      realpath: false,
      onCompromised: (error) => {
        compromised = new LockCompromisedError(`lock ${lockPath} was lost while held (${error.message}); stopping`);
        options.onCompromised?.(compromised);
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ELOCKED") {
      throw new StateDirError(`cannot create the lock ${lockPath} (${code ?? String(error)}): the state directory must exist and be writable`);
    }
    const refreshed = await stat(lockPath).then((s) => s.mtimeMs, () => undefined);
    const ago = refreshed === undefined ? undefined : Math.max(0, Math.round((Date.now() - refreshed) / 1000));
    throw new LockHeldError(lockPath, ago, staleMs);
  }
  return {
    path: lockPath,
    assertHeld() {
      if (compromised) throw compromised;
      if (released) throw new LockCompromisedError(`lock ${lockPath} was already released`);
    },
    async release() {
      if (released || compromised) return;
      released = true;
      await unlock();
    },
  };
}
