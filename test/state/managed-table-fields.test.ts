import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseManagedTable } from "../../src/state/managed-table-format.js";

const padding = fc.stringMatching(/^[ \t\f]{0,2}$/);
const runId = fc.stringMatching(/^[A-Za-z0-9_\-. ]{1,30}$/);

describe("managed table lines without quotes", () => {
  it("read as csv-parse reads them", () => {
    fc.assert(
      fc.property(fc.uuid(), runId, padding, padding, padding, (id, run, a, b, c) => {
        const line = `${a}${id}${b},${c}${run}${a}`;
        const csv = (parse(line, { relax_quotes: true, relax_column_count: true, trim: true }) as string[][])[0] ?? [];
        const parsed = parseManagedTable(`analysis_id_managed,run_id\n${line}\n`);
        expect(parsed.rows).toEqual(csv[1] === "" ? [{ analysisId: csv[0], runId: "Unknown" }] : [{ analysisId: csv[0], runId: csv[1] }]);
      }),
    );
  });
});
