import { describe, expect, it } from "vitest";
import { compileUserPattern } from "../../src/config/user-pattern.js";
import { normaliseAnalysisStatus, toV3Status } from "../../src/ica/analysis-status.js";
import type { IcaAnalysis } from "../../src/ica/schemas.js";
import { analysisStateOf, isBclConvert } from "../../src/modules/monitor/index.js";
import { findNewAnalyses } from "../../src/orchestrator/plan/new-analyses.js";

describe("analysis status spellings", () => {
  it("normalises V3 names to V4 and back", () => {
    expect(normaliseAnalysisStatus("INPROGRESS")).toBe("IN_PROGRESS");
    expect(normaliseAnalysisStatus("awaitinginput")).toBe("AWAITING_INPUT");
    expect(normaliseAnalysisStatus("FAILEDFINAL")).toBe("FAILED_FINAL");
    expect(normaliseAnalysisStatus("QUEUED")).toBe("QUEUED");
    expect(toV3Status("IN_PROGRESS")).toBe("INPROGRESS");
    expect(toV3Status("SUCCEEDED")).toBe("SUCCEEDED");
  });

  it("classifies every documented status, in both spellings", () => {
    const pending = ["REQUESTED", "QUEUED", "INITIALIZING", "PREPARING_INPUTS", "INPROGRESS", "IN_PROGRESS", "GENERATING_OUTPUTS", "AWAITINGINPUT", "AWAITING_INPUT", "ABORTING"];
    for (const s of pending) expect(analysisStateOf(s)).toBe("pending");
    expect(analysisStateOf("SUCCEEDED")).toBe("done");
    for (const s of ["FAILED", "FAILEDFINAL", "FAILED_FINAL", "ABORTED"]) expect(analysisStateOf(s)).toBe("failed");
    expect(analysisStateOf("HIBERNATING")).toBe("unknown");
  });
});

function analysis(code: string, status: string): IcaAnalysis {
  return {
    id: `${code}-${status}`,
    reference: "r",
    userReference: "u",
    status,
    pipeline: { id: "p", code },
    timeCreated: "2024-01-01T00:00:00Z",
    startDate: null,
    endDate: null,
  };
}

describe("BCLConvert selection", () => {
  it("matches BCL…Convert case-insensitively and honours a custom pattern", () => {
    expect(isBclConvert(analysis("BclConvert_v4_1_23_patch1", "SUCCEEDED"))).toBe(true);
    expect(isBclConvert(analysis("bcl-convert", "SUCCEEDED"))).toBe(true);
    expect(isBclConvert(analysis("DRAGEN_Germline", "SUCCEEDED"))).toBe(false);
    const custom = compileUserPattern("/dragen/i");
    expect(isBclConvert(analysis("DRAGEN_Germline", "SUCCEEDED"), custom)).toBe(true);
    expect(isBclConvert(analysis("DRAGEN_Germline", "SUCCEEDED"), custom)).toBe(true);
  });

  it("the cycle groups a listing by state, skipping other pipelines", () => {
    const found = findNewAnalyses({
      analyses: [
        analysis("BclConvert", "SUCCEEDED"),
        analysis("BclConvert", "IN_PROGRESS"),
        analysis("BclConvert", "ABORTED"),
        analysis("DRAGEN", "SUCCEEDED"),
      ],
      managedIds: new Set(),
      inFlight: [],
    });
    expect(found.toManage.map(({ analysis: a }) => a.status)).toEqual(["SUCCEEDED"]);
    expect(found.pending.map((a) => a.status)).toEqual(["IN_PROGRESS"]);
    expect(found.failed.map((a) => a.status)).toEqual(["ABORTED"]);
  });
});
