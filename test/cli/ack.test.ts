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
  await writeFile(ledgerStateFile(stateDir), JSON.stringify({ version: 1, assumptions: entries }));
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
    expect(unknown.err()).toMatch(/^ica-orchestrator: ack: unknown assumption "bs.nope"; use one of bs.trash-endpoint, /);
  });
});
