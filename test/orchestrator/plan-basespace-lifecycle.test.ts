import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lifecycleWindows } from "../../src/orchestrator/plan/age.js";
import {
  planBasespaceLifecycle,
  type BasespaceDataset,
  type BasespaceItem,
  type BasespaceRun,
} from "../../src/orchestrator/plan/plan-basespace-lifecycle.js";
import { resolveBasespaceProjects } from "../../src/orchestrator/plan/basespace-projects.js";
import { gateBasespaceScopes, requiredBasespaceScopes } from "../../src/orchestrator/plan/basespace-scopes.js";
import { cappedActions, deletionBudget } from "../../src/orchestrator/plan/cap.js";
import { planIcaLifecycle } from "../../src/orchestrator/plan/plan-ica-lifecycle.js";
import { isActing } from "../../src/orchestrator/plan/plan-types.js";
import { compileProtectList, emptyProtectList } from "../../src/orchestrator/plan/protect.js";
import { checkRelatedRuns } from "../../src/orchestrator/plan/related-runs.js";
import { runFolderFromReference, selectRuns } from "../../src/orchestrator/plan/run-folder.js";
import { basespaceScenarioArb, capArb, icaScenarioArb, scopesArb, windowsArb } from "./plan-arbitraries.js";

const windows = lifecycleWindows(60, 90);
const allScopes = gateBasespaceScopes([...requiredBasespaceScopes]);

const dataset = (id: string, ageDays: number, isArchived: boolean): BasespaceDataset => ({
  kind: "dataset",
  id,
  name: `name-${id}`,
  projectId: "77",
  projectName: "MGI_2024",
  ageDays,
  sizeBytes: 1_500_000_000,
  isArchived,
});
const run = (id: string, ageDays: number, isArchived: boolean, status = "Complete"): BasespaceRun => ({
  kind: "run",
  id,
  name: `run-${id}`,
  status,
  ageDays,
  isArchived,
});

function plan(
  items: BasespaceItem[],
  opts: { restored?: { datasetIds?: string[]; runIds?: string[] }; cap?: number; protect?: string[]; scopes?: string[] } = {},
) {
  return planBasespaceLifecycle({
    items,
    windows,
    restoresRequested: {
      datasetIds: new Set(opts.restored?.datasetIds ?? []),
      runIds: new Set(opts.restored?.runIds ?? []),
    },
    budget: deletionBudget(opts.cap ?? 500),
    protect: opts.protect ? compileProtectList(opts.protect) : emptyProtectList,
    scopes: opts.scopes ? gateBasespaceScopes(opts.scopes) : allScopes,
  });
}
const actions = (p: ReturnType<typeof plan>) => p.items.map((i) => `${i.action} ${i.target.kind}:${i.target.id}`);

describe("orchestrator/plan/basespace-lifecycle", () => {
  it("archives in the archive window, restores then trashes past days_to_delete", () => {
    const p = plan([
      dataset("ds.59", 59.99, false),
      dataset("ds.60", 60, false),
      dataset("ds.61", 61, true),
      run("89", 89, false),
      run("90", 90, false),
      run("91", 91, true),
    ]);
    expect(actions(p)).toEqual(["restore bs-run:91", "trash bs-run:90", "archive bs-run:89", "archive bs-dataset:ds.60"]);
    expect(p.items[0]?.reason).toBe("age 91.0 d; ≥ days_to_delete 90; IsArchived=true: restore now, trash in a later cycle");
    expect(p.items.find((i) => i.target.id === "ds.60")).toMatchObject({ sizeBytes: 1_500_000_000, target: { name: "name-ds.60" } });
  });

  it("requests a restore once, waits while archived, trashes once restored", () => {
    expect(actions(plan([dataset("ds.1", 95, true)]))).toEqual(["restore bs-dataset:ds.1"]);
    const waiting = plan([dataset("ds.1", 96, true)], { restored: { datasetIds: ["ds.1"] } });
    expect(waiting.items.map((i) => i.action)).toEqual(["wait"]);
    const restored = plan([dataset("ds.1", 97, false)], { restored: { datasetIds: ["ds.1"] } });
    expect(actions(restored)).toEqual(["trash bs-dataset:ds.1"]);
    expect(restored.items[0]?.reason).toMatch(/restore done \(IsArchived=false\)/);
  });

  it("keeps dataset and run journals apart even when ids coincide", () => {
    const p = plan([dataset("5", 95, true), run("5", 95, true)], { restored: { runIds: ["5"] } });
    expect(actions(p)).toEqual(["restore bs-dataset:5", "wait bs-run:5"]);
  });

  it("leaves runs that are not in a final state alone", () => {
    const p = plan([run("1", 70, false, "Running"), run("2", 95, false, "Uploading"), run("3", 95, false, "stopped")]);
    expect(p.items.map((i) => [i.target.id, i.action])).toEqual([
      ["2", "wait"],
      ["3", "trash"],
      ["1", "wait"],
    ]);
    expect(p.items[0]?.reason).toMatch(/run status 'Uploading' is not final/);
  });

  it("leaves items another user owns alone when the current user is known", () => {
    const mine = { ...dataset("ds.1", 95, false), ownerId: "u1" };
    const theirs = { ...dataset("ds.2", 95, false), ownerId: "u2" };
    const theirRun = { ...run("3", 70, false), ownerId: "u2" };
    const p = planBasespaceLifecycle({
      items: [mine, theirs, theirRun],
      windows,
      restoresRequested: { datasetIds: new Set(), runIds: new Set() },
      budget: deletionBudget(5),
      protect: emptyProtectList,
      scopes: allScopes,
      currentUserId: "u1",
    });
    expect(actions(p)).toEqual(["trash bs-dataset:ds.1", "skip bs-dataset:ds.2", "skip bs-run:3"]);
    expect(p.items[1]?.reason).toBe("age 95.0 d; owned by user u2, shared with this account; left alone");
    expect(p.budget.remaining).toBe(4);
  });

  it("protects by dataset id, dataset name glob, project name, run name", () => {
    const p = plan([dataset("ds.1", 95, false), dataset("ds.2", 95, false), run("3", 95, false), dataset("ds.4", 70, false)], {
      protect: ["ds.1", "run-3", "NAME-DS.?"],
    });
    expect(p.items.map((i) => i.action)).toEqual(["skip-protected", "skip-protected", "skip-protected", "skip-protected"]);
    const byProject = plan([dataset("ds.9", 95, false)], { protect: ["mgi_*"] });
    expect(byProject.items[0]?.reason).toBe("protected by 'mgi_*'; would trash");
  });

  it("skips what the token's scopes do not allow, without spending the cap", () => {
    const p = plan([dataset("ds.1", 95, false), dataset("ds.2", 95, true), dataset("ds.3", 70, false)], {
      scopes: ["READ GLOBAL", "BROWSE GLOBAL", "WRITE GLOBAL"],
      cap: 1,
    });
    expect(p.items.map((i) => [i.target.id, i.action])).toEqual([
      ["ds.1", "skip-scope"],
      ["ds.2", "skip-scope"],
      ["ds.3", "archive"],
    ]);
    expect(p.items[0]?.reason).toBe("BaseSpace token lacks scope MOVETOTRASH GLOBAL; would trash");
    expect(p.items[1]?.reason).toBe("BaseSpace token lacks scope MOVETOTRASH GLOBAL; would restore");
    expect(p.budget.remaining).toBe(1);
  });

  it("safety: windows, protect list, scopes, cap and the restore journal hold for any input", () => {
    fc.assert(
      fc.property(windowsArb, basespaceScenarioArb, capArb, scopesArb, fc.constantFrom(undefined, "me"), (w, scenario, cap, scopes, currentUserId) => {
        const protect = compileProtectList(scenario.protectEntries);
        const gate = gateBasespaceScopes(scopes);
        const result = planBasespaceLifecycle({
          items: scenario.items,
          windows: w,
          restoresRequested: { datasetIds: scenario.restoredDatasets, runIds: scenario.restoredRuns },
          budget: deletionBudget(cap),
          protect,
          scopes: gate,
          ...(currentUserId === undefined ? {} : { currentUserId }),
        });
        const byKey = new Map(scenario.items.map((i) => [`${i.kind === "dataset" ? "bs-dataset" : "bs-run"}:${i.id}`, i]));
        let spent = 0;
        for (const item of result.items) {
          const source = byKey.get(`${item.target.kind}:${item.target.id}`);
          expect(source).toBeDefined();
          if (!source) continue;
          expect(source.ageDays >= (w.daysToArchive ?? w.daysToDelete)).toBe(true);
          if (item.action === "trash" || item.action === "restore") {
            expect(source.ageDays).toBeGreaterThanOrEqual(w.daysToDelete);
          }
          if (item.action === "archive") {
            expect(source.ageDays).toBeGreaterThanOrEqual(w.daysToArchive ?? Infinity);
            expect(source.isArchived).toBe(false);
          }
          if (item.action === "trash") expect(source.isArchived).toBe(false);
          if (item.action === "restore") {
            expect(source.isArchived).toBe(true);
            const journal = source.kind === "dataset" ? scenario.restoredDatasets : scenario.restoredRuns;
            expect(journal.has(source.id)).toBe(false);
          }
          if (isActing(item.action)) expect(gate.blockedBy(item.action)).toBeNull();
          if (source.kind === "run" && isActing(item.action)) {
            expect(["complete", "failed", "stopped", undefined]).toContain(source.status?.toLowerCase());
          }
          const keys =
            source.kind === "dataset"
              ? [source.id, source.name, source.projectId, source.projectName]
              : [source.id, source.name, source.experimentName];
          if (protect.match(keys) !== null) expect(isActing(item.action)).toBe(false);
          if (currentUserId !== undefined && source.ownerId != null && source.ownerId !== currentUserId) {
            expect(isActing(item.action)).toBe(false);
          }
          if (cappedActions.has(item.action)) spent += 1;
        }
        expect(spent).toBeLessThanOrEqual(cap);
        expect(result.budget.remaining).toBe(cap - spent);
      }),
      { numRuns: 1000 },
    );
  });

  it("safety: ICA and BaseSpace share one deletion budget per cycle", () => {
    fc.assert(
      fc.property(windowsArb, icaScenarioArb, basespaceScenarioArb, capArb, (w, ica, bs, cap) => {
        const icaPlan = planIcaLifecycle({
          analyses: ica.analyses,
          windows: w,
          unarchiveRequested: ica.unarchiveRequested,
          budget: deletionBudget(cap),
          protect: emptyProtectList,
        });
        const bsPlan = planBasespaceLifecycle({
          items: bs.items,
          windows: w,
          restoresRequested: { datasetIds: bs.restoredDatasets, runIds: bs.restoredRuns },
          budget: icaPlan.budget,
          protect: emptyProtectList,
          scopes: allScopes,
        });
        const spent = [...icaPlan.items, ...bsPlan.items].filter((i) => cappedActions.has(i.action)).length;
        expect(spent).toBeLessThanOrEqual(cap);
        expect(bsPlan.budget.remaining).toBe(cap - spent);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("orchestrator/plan/basespace-scopes", () => {
  const all = '"READ GLOBAL,BROWSE GLOBAL,MOVETOTRASH GLOBAL,EMPTY TRASH,WRITE GLOBAL"';

  it("allows everything with the required scopes, in any case and spacing", () => {
    const gate = gateBasespaceScopes(["read global", "BROWSE  GLOBAL", "MoveToTrash Global", "EMPTY TRASH", "write global"]);
    expect(gate).toMatchObject({ missing: [], canList: true, skipped: [], warning: null, fixCommand: null });
  });

  it("names the skipped actions and the exact fix command, keeping the scopes the token has", () => {
    const gate = gateBasespaceScopes(["READ GLOBAL", "BROWSE GLOBAL", "WRITE GLOBAL", "CREATE GLOBAL"]);
    expect(gate.missing).toEqual(["MOVETOTRASH GLOBAL", "EMPTY TRASH"]);
    expect(gate.skipped).toEqual(["restore", "trash", "empty-trash"]);
    const command = 'bs auth --force --scopes "READ GLOBAL,BROWSE GLOBAL,MOVETOTRASH GLOBAL,EMPTY TRASH,WRITE GLOBAL,CREATE GLOBAL"';
    expect(gate.fixCommand).toBe(command);
    expect(gate.warning).toBe(
      `BaseSpace token lacks scope(s) MOVETOTRASH GLOBAL, EMPTY TRASH: skipping restore, trash, empty-trash; fix with: ${command}`,
    );
  });

  it("gates archive and restore on WRITE GLOBAL, as the simulator does", () => {
    const gate = gateBasespaceScopes(["READ GLOBAL", "BROWSE GLOBAL", "MOVETOTRASH GLOBAL", "EMPTY TRASH"]);
    expect(gate.missing).toEqual(["WRITE GLOBAL"]);
    expect(gate.skipped).toEqual(["archive", "restore"]);
    expect(gate.blockedBy("archive")).toBe("BaseSpace token lacks scope WRITE GLOBAL");
    expect(gate.blockedBy("trash")).toBeNull();
    expect(gate.blockedBy("delete")).toBeNull();
  });

  it("skips every action without READ GLOBAL and BROWSE GLOBAL; either one still lists", () => {
    const none = gateBasespaceScopes(["MOVETOTRASH GLOBAL", "EMPTY TRASH", "WRITE GLOBAL"]);
    expect(none.canList).toBe(false);
    expect(none.skipped).toEqual(["archive", "restore", "trash", "empty-trash"]);
    const readOnly = gateBasespaceScopes(["READ GLOBAL", "MOVETOTRASH GLOBAL", "EMPTY TRASH", "WRITE GLOBAL"]);
    expect(readOnly.canList).toBe(true);
    expect(readOnly.skipped).toEqual(["archive", "restore", "trash", "empty-trash"]);
    expect(readOnly.blockedBy("trash")).toBe("BaseSpace token lacks scope BROWSE GLOBAL");
  });

  it("adds the regional server and a named config to the command", () => {
    const gate = gateBasespaceScopes([], { apiServer: "https://api.euc1.sh.basespace.illumina.com", configName: "core lab" });
    expect(gate.fixCommand).toBe(
      `bs -c 'core lab' auth --force --api-server https://api.euc1.sh.basespace.illumina.com --scopes ${all}`,
    );
    expect(gateBasespaceScopes([], { apiServer: "https://api.basespace.illumina.com/", configName: "default" }).fixCommand).toBe(
      `bs auth --force --scopes ${all}`,
    );
  });
});

describe("orchestrator/plan/run-folder", () => {
  it.each([
    ["20240529_LH00619_0013_B22CCFJLT4_a912e3_9d578d-BclConvert_v4_1_23_patch1-7898625c-01f0-4cc0-b9ed-89216d700613", "20240529_LH00619_0013_B22CCFJLT4"],
    ["240308_VH00154_526_2222NMTNX_0a1b2c_3d4e5f-BclConvert_v4_2_7-7898625c-01f0-4cc0-b9ed-89216d700613", "240308_VH00154_526_2222NMTNX"],
    ["run_254911712_autolaunch_f27a40_9e528f-BclConvert_v4_1_5-7898625c", "run_254911712_autolaunch"],
    ["20240529_LH00619_0013_B22CCFJLT4_A912E3_9D578D-7898625c-01f0", "20240529_LH00619_0013_B22CCFJLT4"],
    ["20250707_103905-c4c751ad-3846-4d9c-8611-3483cfd3f0ed", null],
  ])("%s → %s", (reference, folder) => {
    expect(runFolderFromReference(reference)).toBe(folder);
  });

  it("selects all, related or no runs", () => {
    const runs = [{ name: "20240529_LH00619_0013_B22CCFJLT4" }, { name: "OTHER" }, { name: "20240529_lh00619_0013_b22ccfjlt4" }];
    const refs = ["20240529_LH00619_0013_B22CCFJLT4_a912e3_9d578d-BclConvert-x", "20250707_103905-uuid"];
    expect(selectRuns(runs, "all", refs)).toEqual(runs);
    expect(selectRuns(runs, "related", refs)).toEqual([runs[0]]);
    expect(selectRuns(runs, "none", refs)).toEqual([]);
  });

  it("keeps a related run only when its name is unique, it predates the analysis and it is the run seen before", () => {
    const finished = Date.UTC(2025, 0, 10);
    const ref = (folder: string) => ({ reference: `${folder}_a912e3_9d578d-BclConvert-x`, finishedAtMs: finished });
    const runs = [
      { id: "1", name: "RUN_OK", createdAtMs: finished - 86_400_000 },
      { id: "2", name: "RUN_TWICE", createdAtMs: finished - 1 },
      { id: "3", name: "RUN_TWICE", createdAtMs: finished - 2 },
      { id: "4", name: "RUN_LATER", createdAtMs: finished + 1 },
      { id: "5", name: "RUN_MOVED", createdAtMs: finished - 1 },
    ];
    const analyses = ["RUN_OK", "RUN_TWICE", "RUN_LATER", "RUN_MOVED"].map(ref);
    const checked = checkRelatedRuns(runs, analyses, { "bs-run:RUN_MOVED": "0", "bs-run:RUN_OK": "1" });
    expect(checked.runs.map((r) => r.id)).toEqual(["1"]);
    expect(checked.identities).toEqual([["bs-run:RUN_OK", "1"]]);
    expect(checked.warnings).toEqual([
      "BaseSpace run name 'RUN_TWICE' matches 2 runs (2, 3); skipped — cannot tell which one the analysis used",
      expect.stringMatching(/^BaseSpace run 'RUN_LATER' \[4\] was created 2025-01-10T00:00:00.001Z, after analysis RUN_LATER_a912e3\S+ that names it finished/),
      "BaseSpace run 'RUN_MOVED' resolves to 5 now but resolved to 0 in an earlier cycle; skipped — the name names something else now",
    ]);
  });
});

describe("orchestrator/plan/basespace-projects", () => {
  const by = (reference: string, finishedAtMs = Date.UTC(2025, 0, 10)) => ({ reference, finishedAtMs });
  const named = (name: string, id?: string) => ({ name, ...(id === undefined ? {} : { id }), namedBy: by("A1") });

  it("resolves unique names, warns about missing and ambiguous ones", () => {
    const result = resolveBasespaceProjects(
      [named("MGI_2024"), named("Gone"), named("Twice"), named("MGI_2024")],
      [
        { id: "1", name: "MGI_2024" },
        { id: "2", name: "Twice" },
        { id: "3", name: "Twice" },
      ],
    );
    expect(result.projects).toEqual([{ id: "1", name: "MGI_2024" }]);
    expect(result.identities).toEqual([["bs-project:MGI_2024", "1"]]);
    expect(result.warnings).toEqual([
      "BaseSpace project 'Gone' (named in bsshoutput.json) not found; skipped",
      "BaseSpace project name 'Twice' matches 2 projects (2, 3); skipped — rename one of them",
    ]);
  });

  it("takes a project by the id bsshoutput.json gives, only while its name still matches", () => {
    const available = [
      { id: "7", name: "Twice" },
      { id: "8", name: "Twice" },
      { id: "9", name: "Renamed_Since" },
    ];
    const result = resolveBasespaceProjects([named("Twice", "8"), named("Original", "9"), named("Lost", "10")], available);
    expect(result.projects).toEqual([{ id: "8", name: "Twice" }]);
    expect(result.warnings).toEqual([
      "BaseSpace project 10 ('Lost', named in bsshoutput.json) not found; skipped",
      "BaseSpace project 9 is named 'Renamed_Since' now, not 'Original' as bsshoutput.json says; skipped — rename it back if it still holds that analysis' output",
    ]);
  });

  it("skips a project created after the analysis that names it finished, and a name that resolved to another project before", () => {
    const finished = Date.UTC(2025, 0, 10);
    const result = resolveBasespaceProjects(
      [
        { name: "Reused_Name", namedBy: by("A1", finished) },
        { name: "Moved_Name", namedBy: by("A2", finished) },
        { name: "Steady", namedBy: by("A3", finished) },
      ],
      [
        { id: "20", name: "Reused_Name", createdAtMs: finished + 1 },
        { id: "21", name: "Moved_Name", createdAtMs: finished - 1 },
        { id: "22", name: "Steady", createdAtMs: finished },
      ],
      { "bs-project:Moved_Name": "19", "bs-project:Steady": "22" },
    );
    expect(result.projects).toEqual([{ id: "22", name: "Steady" }]);
    expect(result.warnings).toEqual([
      "BaseSpace project 'Moved_Name' resolves to 21 now but resolved to 19 in an earlier cycle; skipped — the name names something else now",
      "BaseSpace project 'Reused_Name' [20] was created 2025-01-10T00:00:00.001Z, after analysis A1 that names it finished (2025-01-10T00:00:00.000Z), so it cannot hold that analysis' output; skipped",
    ]);
  });
});
