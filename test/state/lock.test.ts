import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtemp, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireStateLock, LockCompromisedError, LockHeldError } from "../../src/state/lock.js";
import { StateDirError } from "../../src/state/state-dir.js";
import { bundleModule } from "../reliability/bundle.js";

const bundleHolder = () => bundleModule(fileURLToPath(new URL("./lock-holder.ts", import.meta.url)));

let dir: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-lock-"));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** A separate process that takes the lock with our module, says "locked", and reports compromise (lock-holder.ts). */
async function spawnHolder(options: { staleMs: number; updateMs: number }): Promise<{ child: ChildProcess; next: () => Promise<string> }> {
  const child = spawn(process.execPath, [await bundleHolder(), dir, String(options.staleMs), String(options.updateMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => String((await lines.next()).value);
  return { child, next };
}

/** What time passing does to a lock whose holder no longer refreshes it. */
async function ageLock(seconds: number): Promise<void> {
  const past = new Date(Date.now() - seconds * 1000);
  await utimes(join(dir, "lock"), past, past);
}

describe("state/lock acquireStateLock", () => {
  it("lets one holder in and turns the second away with LockHeldError", async () => {
    const first = await acquireStateLock(dir);
    const error = await acquireStateLock(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as Error).message).toMatch(/^another ica-orchestrator cycle holds .*\/lock \(refreshed \d+s ago; taken over if not refreshed for 30s\); this cycle is skipped$/);
    first.assertHeld();
    await first.release();
    await first.release(); // idempotent
    expect(() => first.assertHeld()).toThrow(LockCompromisedError);
    const again = await acquireStateLock(dir);
    await again.release();
    await expect(stat(join(dir, "lock"))).rejects.toThrow(/ENOENT/);
  });

  it("takes over the stale lock of a process killed with SIGKILL", async () => {
    const { child, next } = await spawnHolder({ staleMs: 30_000, updateMs: 5_000 });
    expect(await next()).toBe("locked");
    await expect(acquireStateLock(dir)).rejects.toBeInstanceOf(LockHeldError);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    // Killed: the lock stays behind and is still fresh, so it is respected until it goes stale.
    await expect(acquireStateLock(dir)).rejects.toBeInstanceOf(LockHeldError);
    await ageLock(31);
    const lock = await acquireStateLock(dir);
    lock.assertHeld();
    await lock.release();
  });

  it("tells a live holder it lost a lock that was taken over, so it stops before destructive work", async () => {
    const { next } = await spawnHolder({ staleMs: 2_000, updateMs: 1_000 });
    expect(await next()).toBe("locked");
    await ageLock(5); // as if the holder had been suspended past the stale threshold
    const lock = await acquireStateLock(dir, { staleMs: 2_000, updateMs: 1_000 });
    expect(await next()).toBe("compromised LockCompromisedError");
    await lock.release();
  });

  it("fences a holder paused past the stale limit: once another took the lock, its next check fails before its refresh timer runs", async () => {
    const paused = await acquireStateLock(dir);
    paused.assertHeld();
    await ageLock(31); // what a SIGSTOPped holder's lock looks like to the next cycle
    const next = await acquireStateLock(dir);
    // Same generation counter, one further: a takeover is visible in the token, not only in a timestamp.
    expect(Number(next.token.split(" ")[0])).toBe(Number(paused.token.split(" ")[0]) + 1);
    expect(() => paused.assertHeld()).toThrow(LockCompromisedError);
    expect(() => paused.assertHeld()).toThrow(/another cycle took it over/);
    next.assertHeld();
    await next.release();
    await paused.release();
  });

  it("releases the lock when the holder is stopped with SIGTERM", async () => {
    const { child, next } = await spawnHolder({ staleMs: 30_000, updateMs: 5_000 });
    expect(await next()).toBe("locked");
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    const lock = await acquireStateLock(dir);
    await lock.release();
  });

  it("explains in one line when the state directory is missing", async () => {
    const missing = join(dir, "missing");
    await expect(acquireStateLock(missing)).rejects.toThrow(
      new StateDirError(`cannot create the lock ${missing}/lock (ENOENT): the state directory must exist and be writable`),
    );
  });
});
