import type { UserPattern } from "../src/config/index.js";
import type { Fixture } from "../src/simulator/index.js";
import { addManagedRows, type ManagedRow } from "../src/state/index.js";
import { isManageable, sourceAnalyses } from "./fixture-analyses.js";

/**
 * The managed table the first cycles on a fixture would have written: every SUCCEEDED BCLConvert
 * analysis of the source project, with its reference as the run id (what the cycle records). The
 * scale-1m steady cycle starts from it, because linking ~8,000 analyses' FASTQs (a first cycle of
 * ~70,000 calls) only to reach "nothing new" would make the benchmark take longer than it measures.
 */
function managedRowsOf(fixture: Fixture, bclConvertPattern: UserPattern): ManagedRow[] {
  return sourceAnalyses(fixture)
    .filter((a) => isManageable(a, bclConvertPattern))
    .map((a) => ({ analysisId: a.id, runId: a.reference }));
}

export async function writeManagedTable(path: string, fixture: Fixture, bclConvertPattern: UserPattern): Promise<number> {
  const rows = managedRowsOf(fixture, bclConvertPattern);
  await addManagedRows(path, rows);
  return rows.length;
}
