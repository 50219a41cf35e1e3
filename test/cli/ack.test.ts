import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ledgerStateFile } from "../../src/assumptions/ledger-state.js";
import { printStatus } from "../../src/cli/commands/status.js";
import { runCli } from "../../src/cli/run-cli.js";
import type { StateStatus } from "../../src/cli/status-report.js";
import { ensureStateDir, openJournal } from "../../src/state/index.js";
import { capturedContext, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let stateDir: string;
beforeEach(async () => {
  dir = await tempDir("ica-orch-ack-");
  stateDir = join(dir.path, "state");
  const paths = await ensureStateDir(stateDir);
  const journal = await openJournal(paths.journal, { now: () => new Date("2025-06-01T10:00:01.000Z") });
  await journal.save();
  const entries = {
    "bs.trash-endpoint": { state: "contradicted", at: "2025-06-01T10:00:00.000Z", evidence: "trash move of ds.1 answered 405" },
    "ica.delete-archived": { state: "confirmed", at: "2025-06-01T09:00:00.000Z", evidence: ":delete of fol.2 answered 409" },
  };
  const canaries = {
    "bs-trash": { state: "contradicted", at: "2025-06-01T10:00:00.000Z", evidence: "dataset A [ds.1] read back IsArchived=false, IsDeleted=false after BaseSpace accepted the trash move", item: { id: "ds.1", label: "dataset A [ds.1]", kind: "dataset" } },
    "ica-archive": { state: "confirmed", at: "2025-06-01T09:00:00.000Z", evidence: "/out/a/ read back ARCHIVED", item: { id: "fol.1", label: "/out/a/", projectId: "p" } },
    "ica-delete": { state: "applied", at: "2025-06-01T09:00:00.000Z", evidence: "applied to /out/b/", item: { id: "fol.2", label: "/out/b/", projectId: "p" } },
  };
  await writeFile(ledgerStateFile(stateDir), JSON.stringify({ version: 1, assumptions: entries, canaries }));
});
afterEach(() => dir.cleanup());

describe("the ledger's state in status, and ack", () => {
  it("status lists each assumption as contradicted, confirmed or unconfirmed, with when and how", async () => {
    const context = capturedContext({ cwd: dir.path });
    await printStatus(context, { state_dir: stateDir }, { json: false });
    const out = context.out();
    expect(out).toContain(
      "  contradicted bs.trash-endpoint since 2025-06-01T10:00:00.000Z: trash move of ds.1 answered 405 — its actions are stopped; `ica-orchestrator ack bs.trash-endpoint` once understood\n",
    );
    expect(out).toContain("  confirmed    ica.delete-archived since 2025-06-01T09:00:00.000Z: :delete of fol.2 answered 409\n");
    expect(out).toContain("  unconfirmed  ica.folder-status\n");
    const json = capturedContext({ cwd: dir.path });
    await printStatus(json, { state_dir: stateDir }, { json: true });
    expect((JSON.parse(json.out()) as StateStatus).assumptions).toContainEqual(expect.objectContaining({ id: "bs.trash-endpoint", state: "contradicted" }));
  });

  it("doctor prints the ledger's state for the configured state directory", async () => {
    const context = capturedContext({ cwd: dir.path });
    await runCli(["doctor", "--state_dir", stateDir], context);
    expect(context.out()).toContain("Assumptions about ICA and BaseSpace (docs/assumptions.md):\n  contradicted bs.trash-endpoint since");
  });

  it("ack puts a contradicted entry back to unconfirmed, says so when there is nothing to acknowledge, and refuses an unknown id", async () => {
    const context = capturedContext({ cwd: dir.path });
    expect(await runCli(["ack", "bs.trash-endpoint", "--state_dir", stateDir], context)).toBe(0);
    expect(context.out()).toBe("bs.trash-endpoint acknowledged: the next cycle may act on it again\n");
    const saved = JSON.parse(await readFile(ledgerStateFile(stateDir), "utf8")) as { assumptions: Record<string, unknown> };
    expect(Object.keys(saved.assumptions)).toEqual(["ica.delete-archived"]);
    const again = capturedContext({ cwd: dir.path });
    expect(await runCli(["ack", "bs.trash-endpoint", "--state_dir", stateDir], again)).toBe(0);
    expect(again.out()).toBe("bs.trash-endpoint is not contradicted; nothing to acknowledge\n");
    const unknown = capturedContext({ cwd: dir.path });
    expect(await runCli(["ack", "bs.nope", "--state_dir", stateDir], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/^ica-orchestrator: ack: unknown assumption or action kind "bs.nope"; use one of bs.trash-endpoint, /);
  });

  it("status and doctor list each kind of irreversible action's canary; ack of a contradicted kind lets it start over on one item", async () => {
    const context = capturedContext({ cwd: dir.path });
    await printStatus(context, { state_dir: stateDir }, { json: false });
    const out = context.out();
    expect(out).toContain("Irreversible actions against this account (canary first on one item, at full rate once confirmed):\n");
    expect(out).toContain("  contradicted bs-trash since 2025-06-01T10:00:00.000Z: dataset A [ds.1] read back IsArchived=false, IsDeleted=false after BaseSpace accepted the trash move — stopped; `ica-orchestrator ack bs-trash` once understood\n");
    expect(out).toContain("  unconfirmed  ica-delete since 2025-06-01T09:00:00.000Z: applied to /out/b/, postcondition not seen yet\n");
    expect(out).toContain("  unconfirmed  bs-archive: not done yet\n");
    // Relaunches (--requeue_failed) are billed: their first goes alone too.
    expect(out).toContain("  unconfirmed  ica-relaunch: not done yet\n");
    expect(out).toContain("  confirmed    ica-archive since 2025-06-01T09:00:00.000Z: /out/a/ read back ARCHIVED\n");
    const doctor = capturedContext({ cwd: dir.path });
    await runCli(["doctor", "--state_dir", stateDir, "--canary", "off"], doctor);
    expect(doctor.out()).toContain("Irreversible actions against this account (canary off: every kind runs at full rate):\n  contradicted bs-trash since");
    expect(doctor.out()).toContain("  unconfirmed  ica-relaunch: not done yet\n");

    const ack = capturedContext({ cwd: dir.path });
    expect(await runCli(["ack", "bs-trash", "--state_dir", stateDir], ack)).toBe(0);
    expect(ack.out()).toBe("bs-trash acknowledged: the next cycle may act on it again\n");
    const saved = JSON.parse(await readFile(ledgerStateFile(stateDir), "utf8")) as { canaries: Record<string, unknown> };
    expect(Object.keys(saved.canaries).sort()).toEqual(["ica-archive", "ica-delete"]);
    const confirmed = capturedContext({ cwd: dir.path });
    await runCli(["ack", "ica-archive", "--state_dir", stateDir], confirmed);
    expect(confirmed.out()).toBe("ica-archive is not contradicted; nothing to acknowledge\n");
  });
});
