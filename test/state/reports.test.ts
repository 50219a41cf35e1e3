import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { manifestPath, newCycleId, pruneReports, readLatestReport, ReportError, writeCycleReport } from "../../src/state/reports.js";
import { ensureStateDir, StateDirError, statePaths } from "../../src/state/state-dir.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-reports-"));
});
afterEach(async () => {
  await chmod(dir, 0o700);
  await rm(dir, { recursive: true, force: true });
});

const reportSchema = z.object({ cycleId: z.string(), linked: z.number() });

describe("state/state-dir ensureStateDir", () => {
  it("creates the directory layout and leaves no probe behind", async () => {
    const paths = await ensureStateDir(join(dir, "state"));
    expect(paths).toEqual(statePaths(join(dir, "state")));
    expect((await readdir(paths.root)).sort()).toEqual(["manifests", "reports"]);
    expect(paths.journal).toBe(join(dir, "state", "journal.json"));
    expect(paths.lock).toBe(join(dir, "state", "lock"));
  });

  it("names the directory and the fix when a file is in the way", async () => {
    const blocked = join(dir, "state");
    await writeFile(blocked, "");
    await expect(ensureStateDir(blocked)).rejects.toThrow(
      new StateDirError(`state directory ${blocked} is not writable (EEXIST): a file is in the way: remove it, or choose another directory with --state_dir`),
    );
  });

  const root = process.getuid?.() === 0;
  it.skipIf(root)(`names the directory and the fix when it is not writable${root ? " (skipped: running as root, who writes anywhere whatever the mode)" : ""}`, async () => {
    const locked = join(dir, "state");
    await mkdir(locked);
    await chmod(locked, 0o500);
    await expect(ensureStateDir(locked)).rejects.toThrow(/^state directory .* is not writable \(EACCES\): give the user/);
  });
});

describe("state/reports", () => {
  it("makes cycle ids that sort by time and are safe file names", () => {
    const early = newCycleId(new Date("2025-06-01T09:59:59.999Z"));
    const late = newCycleId(new Date("2025-06-01T10:00:00.000Z"));
    expect(early).toMatch(/^2025-06-01T09-59-59\.999Z-[0-9a-f]{4}$/);
    expect([late, early].sort()).toEqual([early, late]);
  });

  it("writes reports and reads back the latest, validated", async () => {
    const paths = await ensureStateDir(dir);
    expect(await readLatestReport(paths, reportSchema)).toBeUndefined();
    const older = newCycleId(new Date("2025-06-01T10:00:00.000Z"));
    const newer = newCycleId(new Date("2025-06-01T10:10:00.000Z"));
    await writeCycleReport(paths, newer, { cycleId: newer, linked: 2 });
    const olderPath = await writeCycleReport(paths, older, { cycleId: older, linked: 1 });
    expect(olderPath).toBe(join(dir, "reports", `${older}.json`));
    await writeFile(join(paths.reports, "notes.json"), "{}"); // not a report: ignored
    expect(await readLatestReport(paths, reportSchema)).toEqual({
      cycleId: newer,
      path: join(paths.reports, `${newer}.json`),
      report: { cycleId: newer, linked: 2 },
    });
  });

  it("says which report is unreadable and what to do", async () => {
    const paths = await ensureStateDir(dir);
    const id = newCycleId();
    await writeCycleReport(paths, id, { cycleId: id, linked: "two" });
    await expect(readLatestReport(paths, reportSchema)).rejects.toThrow(/report .* does not match this version \(linked: .*\): delete it or upgrade/);
    await expect(writeCycleReport(paths, "../escape", {})).rejects.toThrow(ReportError);
  });

  it("places manifests under manifests/ and refuses run ids that would escape it", async () => {
    const paths = await ensureStateDir(dir);
    expect(manifestPath(paths, "20250114_LH00619_0042_A22FKWLT4_b41c07")).toBe(
      join(dir, "manifests", "20250114_LH00619_0042_A22FKWLT4_b41c07.download_manifest.csv"),
    );
    for (const bad of ["", "..", "../x", "a/b", "a\\b"]) expect(() => manifestPath(paths, bad)).toThrow(ReportError);
    await expect(stat(paths.manifests)).resolves.toBeTruthy();
  });
});

describe("state/reports pruneReports", () => {
  const day = 86_400_000;
  const now = new Date("2026-06-30T12:00:00.000Z");

  it("removes reports of cycles older than the kept days, keeps younger ones and files that are not reports", async () => {
    const paths = await ensureStateDir(join(dir, "state"));
    const ids = [40, 31, 29, 1].map((daysAgo) => newCycleId(new Date(now.getTime() - daysAgo * day)));
    for (const id of ids) await writeCycleReport(paths, id, { cycleId: id, linked: 0 });
    await writeFile(join(paths.reports, "notes.txt"), "mine");

    expect(await pruneReports(paths, 30, now)).toBe(2);
    expect((await readdir(paths.reports)).sort()).toEqual([...ids.slice(2).map((id) => `${id}.json`), "notes.txt"].sort());
  });

  it("always keeps the latest report, however old, so status can still show it", async () => {
    const paths = await ensureStateDir(join(dir, "state"));
    const id = newCycleId(new Date(now.getTime() - 400 * day));
    await writeCycleReport(paths, id, { cycleId: id, linked: 0 });
    expect(await pruneReports(paths, 30, now)).toBe(0);
    expect(await readdir(paths.reports)).toEqual([`${id}.json`]);
  });

  it("removes nothing once the fence says the lock is lost", async () => {
    const paths = await ensureStateDir(join(dir, "state"));
    const ids = [50, 1].map((daysAgo) => newCycleId(new Date(now.getTime() - daysAgo * day)));
    for (const id of ids) await writeCycleReport(paths, id, { cycleId: id, linked: 0 });
    const lost = () => {
      throw new Error("lock lost");
    };
    await expect(pruneReports(paths, 30, now, lost)).rejects.toThrow("lock lost");
    expect((await readdir(paths.reports)).length).toBe(2);
  });
});
