// Guarantees 1 (write-ahead) and 2 (fencing) of docs/safety.md, through the real CLI and the simulator.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, utimes } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { statePaths } from "../../src/state/index.js";
import type { SeenRequest } from "./api-proxy.js";
import { bundleCli, runCliProcess, startCli, type CliBundle } from "./cli-process.js";
import { Scenario } from "./scenario.js";
import { readAuditLog } from "../../src/state/audit-log.js";

/** Archive, unarchive, restore, delete, trash, empty trash, requeue, linking and manifests: every call that changes something. */
const mutating = ({ method, path }: SeenRequest): boolean => method !== "GET" && !/(:search|\/tokens)$/.test(path);
const icaArchive = /^POST \/ica\/.*:archive$/;

let cli: CliBundle;
beforeAll(async () => {
  cli = await bundleCli();
}, 60_000);

/** A webhook receiver on 127.0.0.1: the alerts the cycle sends. */
async function webhook(): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      bodies.push(body);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What a cycle writes into the state, by file: the journal, the cycle counts, the audit log, the table, the reports. */
async function stateWrites(stateDir: string): Promise<Record<string, string>> {
  const paths = statePaths(stateDir);
  const read = (path: string) => readFile(path, "utf8").catch(() => "(missing)");
  return {
    journal: await read(paths.journal),
    cycles: await read(paths.cycles),
    audit: await read(paths.audit),
    table: await read(join(stateDir, "analyses_managed_table.txt")),
    reports: (await readdir(paths.reports)).sort().join("\n"),
  };
}

describe("write-ahead through the real CLI", () => {
  it("records the intent before an irreversible call; once the audit log cannot be written, no further mutating call, exit 1 and an alert", async () => {
    const s = await Scenario.start();
    const hook = await webhook();
    try {
      const { audit } = statePaths(s.stateDir);
      // One call at a time, so that "after the failure" is well defined.
      const args = ["run", ...(await s.cliArgs()), "--concurrency", "1"];
      // The first cycle delivers; archives come on the next (deliver before you retire).
      expect((await runCliProcess(cli, args, { env: s.cliEnv() })).code).toBe(0);
      const held = s.proxy.hold(icaArchive);
      const run = startCli(cli, args, { env: { ...s.cliEnv(), ICA_ORCHESTRATOR_NOTIFY_WEBHOOK_URL: hook.url } });
      await Promise.race([held.arrived, run.done]);
      expect(run.exited()).toBe(false);

      // Write-ahead: the call has not reached the server, and its intent is already on disk (fsynced before the request).
      const archiveRequest = s.proxy.requests.findLast((r) => icaArchive.test(`${r.method} ${r.path}`));
      const heldAt = s.proxy.requests.length;
      const before = await readAuditLog(audit);
      expect(before.invalidLines).toEqual([]);
      const intent = before.entries.at(-1);
      expect(intent).toMatchObject({ action: "archive", result: "intent" });
      expect(archiveRequest?.path).toContain(intent?.targets.ids[0] ?? "(no id)");
      // Every earlier call has its intent and then its outcome (linking batches, created inside a module, only an outcome).
      const earlier = before.entries.slice(0, -1).filter((e) => e.action !== "link");
      expect(earlier.length).toBeGreaterThan(0);
      expect(earlier.filter((e) => e.result === "intent").length * 2).toBe(earlier.length);

      // The state directory stops taking writes to the audit log while the call is under way.
      await rename(audit, `${audit}.saved`);
      await mkdir(audit);
      held.release();
      const result = await run.done;

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/audit\.jsonl could not be written \(EISDIR[^)]*\); no further irreversible call is made this cycle — make the state directory writable and run again/);
      // The call under way when the failure happened was the last one that changed anything.
      expect(s.proxy.requests.slice(heldAt).filter(mutating)).toEqual([]);
      expect(hook.bodies.join("\n")).toMatch(/no further irreversible call is made this cycle/);
      expect(existsSync(`${audit}.saved`)).toBe(true);
    } finally {
      await hook.close();
      await s.close();
    }
  }, 60_000);
});

describe("fencing through the real CLI", () => {
  it("a cycle paused past the lock's staleness, whose lock another cycle took over, wakes up and writes nothing and calls nothing", async () => {
    const s = await Scenario.start();
    try {
      const args = ["run", ...(await s.cliArgs()), "--concurrency", "1"];
      // The first cycle delivers; archives come on the next (deliver before you retire).
      expect((await runCliProcess(cli, args, { env: s.cliEnv() })).code).toBe(0);
      const held = s.proxy.hold(icaArchive);
      const paused = startCli(cli, args, { env: s.cliEnv() });
      await Promise.race([held.arrived, paused.done]);
      expect(paused.exited()).toBe(false);
      // SIGSTOP: a frozen VM. Its lock goes stale, and the next cycle takes it over and finishes.
      paused.child.kill("SIGSTOP");
      const { lock } = statePaths(s.stateDir);
      const past = new Date(Date.now() - 31_000);
      await utimes(lock, past, past);
      const newer = await runCliProcess(cli, args, { env: s.cliEnv() });
      expect(newer.stderr).not.toMatch(/another ica-orchestrator cycle holds/);
      expect(newer.code).toBe(0);
      const written = await stateWrites(s.stateDir);
      const sentBefore = s.proxy.requests.length;

      // The paused cycle wakes up; the call it was making completes under it.
      held.release();
      paused.child.kill("SIGCONT");
      const woken = await paused.done;

      expect(woken.code).toBe(1);
      expect(woken.stderr).toMatch(/lock .*was lost while held/);
      expect(s.proxy.requests.slice(sentBefore).filter(mutating)).toEqual([]);
      expect(await stateWrites(s.stateDir)).toEqual(written);
    } finally {
      await s.close();
    }
  }, 60_000);
});
