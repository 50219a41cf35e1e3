import lockfile from "proper-lockfile";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { rm, stat } from "node:fs/promises";
import writeFileAtomic from "write-file-atomic";
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

/** The lock was lost while held (its directory removed, not refreshed within `staleMs`, or taken over). */
export class LockCompromisedError extends Error {
  override name = "LockCompromisedError";
}

export interface StateLock {
  readonly path: string;
  /** This holder's fencing token, as written to `lock.token` when the lock was taken. */
  readonly token: string;
  /**
   * Throws LockCompromisedError if the lock was lost or another cycle has taken it since (its token
   * replaced ours). Called before each mutating call and each write into the state.
   */
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

const lockDefaults = { staleMs: 30_000, updateMs: 5_000 };

/**
 * `<generation> <random>`: the random part tells two holders apart; the generation counts takeovers
 * of a lock that was never released (a token is removed on release), which the fencing message shows.
 */
function nextToken(previous: string | undefined): string {
  const generation = Number.parseInt(previous?.split(" ")[0] ?? "", 10);
  return `${Number.isSafeInteger(generation) ? generation + 1 : 1} ${randomBytes(8).toString("hex")}`;
}

function readToken(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * Takes the state directory's lock (`<state>/lock`) or throws LockHeldError at once (no waiting).
 * The lock's mtime alone cannot fence a holder that was paused past the stale limit (SIGSTOP, a
 * frozen VM): it wakes up before its refresh timer notices the takeover. So each holder writes a
 * fresh fencing token to `lock.token`, and assertHeld() compares it, synchronously, before every
 * mutating call and state write.
 */
export async function acquireStateLock(stateDir: string, options: LockOptions = {}): Promise<StateLock> {
  const { root, lock: lockPath, lockToken } = statePaths(stateDir);
  const { staleMs, updateMs } = { ...lockDefaults, ...options };
  let compromised: LockCompromisedError | undefined;
  let released = false;
  let unlock: () => Promise<void>;
  const compromise = (reason: string): LockCompromisedError => {
    if (!compromised) {
      compromised = new LockCompromisedError(`lock ${lockPath} was lost while held (${reason}); stopping`);
      options.onCompromised?.(compromised);
    }
    return compromised;
  };
  try {
    unlock = await lockfile.lock(root, {
      lockfilePath: lockPath,
      stale: staleMs,
      update: updateMs,
      retries: 0,
      realpath: false,
      onCompromised: (error) => void compromise(error.message),
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
  const token = nextToken(readToken(lockToken));
  try {
    await writeFileAtomic(lockToken, `${token}\n`);
  } catch (error) {
    await unlock();
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new StateDirError(`cannot write the lock's fencing token ${lockToken} (${code}): the state directory must be writable`);
  }
  // An exit without release (a second SIGTERM's process.exit) must not leave the lock to go stale: since
  // the fencing token was added, proper-lockfile's own exit hook was seen to leave the lock in place.
  const releaseOnExit = (): void => {
    if (released || compromised || readToken(lockToken) !== token) return;
    rmSync(lockToken, { force: true });
    rmSync(lockPath, { recursive: true, force: true });
  };
  process.once("exit", releaseOnExit);
  return {
    path: lockPath,
    token,
    assertHeld() {
      if (compromised) throw compromised;
      if (released) throw new LockCompromisedError(`lock ${lockPath} was already released`);
      const current = readToken(lockToken);
      if (current !== token) {
        throw compromise(`another cycle took it over: ${lockToken} holds ${current ?? "nothing"}, not this cycle's ${token}`);
      }
    },
    async release() {
      if (released || compromised) return;
      released = true;
      process.off("exit", releaseOnExit);
      // Removed while the lock is still held, so it cannot be a newer holder's; a stale holder that
      // wakes up later finds no token, which is not its own either.
      if (readToken(lockToken) === token) await rm(lockToken, { force: true });
      await unlock();
    },
  };
}
