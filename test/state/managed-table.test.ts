import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addManagedRows, readManagedTable, unreadableTableError } from "../../src/state/managed-table.js";
import { decodeManagedTable, parseManagedTable } from "../../src/state/managed-table-format.js";

const A = "7df7d35e-0681-4187-9e1c-6dd1418d6954";
const B = "a96e7a5a-a961-4c10-9165-51ce2fe2bbcf";
const C = "2f3f186c-6e18-46ea-8839-64c64e2b1cc3";
const D = "6759d8b4-cf44-4b95-8d44-c5d9958f401c";
const E = "a36c6c1e-e856-4670-8b97-6a21d612e585";
const refA = "run_254911712_autolaunch_f27a40_9e528f-BclConvert_v4_1_5-aeafa4da-aa12-4700-981e-5f4853da6e67";
const refB = "Ken_test_NextSeq2k_run_6ba08c_76d282-BclConvert_v4_2_7-52da527f-a38a-4d91-8b7f-5e5c3fce5e8a";
const refE = "240308_VH00154_526_2222NMTNX_306042_743795-BclConvert_v4_2_7-df661c2e-f7a6-4893-a284-f4fe292a9cbc";

/** A table as the original tool leaves it: glued rows, Unknown, CRLF from a hand edit, blanks, junk. */
const messyTable = [
  "analysis_id_managed,run_id",
  `${A},${refA}${B},${refB}`, // line 2: glued (the ref ends in a uuid, hex runs straight into the next id)
  `${C},Unknown\r`, // line 3: CRLF
  "", // line 4
  "this line is not a row", // line 5
  `${D}`, // line 6: an id without run id
  `${E},${refE}`, // line 7
  "",
].join("\n");

let dir: string;
let table: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-table-"));
  table = join(dir, "analyses_managed_table.txt");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state/managed-table readManagedTable", () => {
  it("recovers glued rows, keeps Unknown, tolerates CRLF and blank lines, and warns with line numbers", async () => {
    await writeFile(table, messyTable);
    const read = await readManagedTable(table);
    expect(read.rows).toEqual([
      { analysisId: A, runId: refA },
      { analysisId: B, runId: refB },
      { analysisId: C, runId: "Unknown" },
      { analysisId: D, runId: "Unknown" },
      { analysisId: E, runId: refE },
    ]);
    expect([...read.ids]).toEqual([A, B, C, D, E]);
    expect(read.unreadable).toEqual([{ line: 5, text: "this line is not a row", reason: 'expected "<analysis uuid>,<run id>", found "this line is not a row"' }]);
    expect(read.warnings).toEqual([
      `${table} line 2: 2 rows glued on one line (a missing newline); recovered ${A}, ${B}`,
      `${table} line 6: no run id; recorded as Unknown`,
    ]);
    expect(unreadableTableError(table, read)?.message).toBe(
      `managed table ${table}:5 cannot be understood: expected "<analysis uuid>,<run id>", found "this line is not a row"; nothing is delivered until it is fixed — correct the line to "<analysis uuid>,<run id>" or delete it`,
    );
  });

  it("reads a missing file as an empty table without warnings", async () => {
    const read = await readManagedTable(join(dir, "absent.txt"));
    expect(read.rows).toEqual([]);
    expect(read.warnings).toEqual([]);
  });

  it("reads the original tool's real table format cleanly", async () => {
    const read = await readManagedTable(join(import.meta.dirname, "../../analyses_managed_table.example.txt"));
    expect(read.warnings).toEqual([]);
    expect(read.rows.length).toBeGreaterThanOrEqual(3);
    expect(read.rows.some((row) => row.runId === "Unknown")).toBe(true);
  });

  it("warns about (and keeps) an id listed twice, a missing header and a repeated header", () => {
    const parsed = parseManagedTable(`${A},x\n${A.toUpperCase()},y\nanalysis_id_managed,run_id\n`);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.ids).toEqual(new Set([A]));
    expect(parsed.warnings).toEqual([
      "line 1: no header line",
      `line 2: ${A.toUpperCase()} already listed on line 1`,
      "line 3: repeated header line skipped",
    ]);
  });

  it("recovers any rows glued together, whatever their run ids end with", () => {
    const hexTail = fc.stringMatching(/^[A-Za-z0-9_-]{0,12}[0-9a-f]{0,12}$/);
    const row = fc.record({
      analysisId: fc.uuid(),
      runId: fc.oneof(fc.constant("Unknown"), hexTail.filter((s) => s !== "")),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { maxLength: 6 }), (rows, glue) => {
        let text = "analysis_id_managed,run_id\n";
        rows.forEach((r, i) => (text += `${r.analysisId},${r.runId}${glue[i] ? "" : "\n"}`));
        const parsed = parseManagedTable(text);
        expect(parsed.rows).toEqual(rows);
        expect(parsed.unreadable).toEqual([]);
      }),
    );
  });
});

describe("state/managed-table addManagedRows", () => {
  it("only appends: every byte already there stays, glued rows and junk included, and the new row starts on its own line", async () => {
    const unterminated = messyTable.replace(/\n$/, "");
    await writeFile(table, unterminated);
    const added = await addManagedRows(table, [{ analysisId: "0c4c751a-3846-4d9c-8611-3483cfd3f0ed", runId: "new_run" }]);
    expect(added).toHaveLength(1);
    expect(await readFile(table, "utf8")).toBe(`${unterminated}\n0c4c751a-3846-4d9c-8611-3483cfd3f0ed,new_run\n`);
    const reread = await readManagedTable(table);
    expect(reread.rows).toHaveLength(6);
    expect(reread.unreadable.map((l) => l.line)).toEqual([5]);
  });

  it("creates a missing table with the original header", async () => {
    await addManagedRows(table, [{ analysisId: A, runId: refA }]);
    expect(await readFile(table, "utf8")).toBe(`analysis_id_managed,run_id\n${A},${refA}\n`);
  });

  it("never writes an id twice: existing ids (any case) and repeats within one call are skipped", async () => {
    await addManagedRows(table, [{ analysisId: A, runId: refA }]);
    const before = await readFile(table, "utf8");
    expect(await addManagedRows(table, [{ analysisId: A.toUpperCase(), runId: "other" }])).toEqual([]);
    expect(await readFile(table, "utf8")).toBe(before);
    const added = await addManagedRows(table, [
      { analysisId: B, runId: refB },
      { analysisId: B, runId: refB },
    ]);
    expect(added).toEqual([{ analysisId: B, runId: refB }]);
    expect((await readManagedTable(table)).rows.map((r) => r.analysisId)).toEqual([A, B]);
  });

  it("does not touch the file when nothing is added (not even to repair glued rows)", async () => {
    await writeFile(table, messyTable);
    await addManagedRows(table, [{ analysisId: E, runId: refE }]);
    expect(await readFile(table, "utf8")).toBe(messyTable);
  });

  it("rejects rows that would corrupt the table", async () => {
    await expect(addManagedRows(table, [{ analysisId: "not-a-uuid", runId: "r" }])).rejects.toThrow(/is not a uuid/);
    await expect(addManagedRows(table, [{ analysisId: A, runId: "a\nb" }])).rejects.toThrow(/use "Unknown"/);
    await expect(readFile(table)).rejects.toThrow(/ENOENT/);
  });

  it("keeps every row under concurrent adds, and readers never see a partial file", async () => {
    await addManagedRows(table, [{ analysisId: A, runId: refA }]);
    const ids = Array.from({ length: 25 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    let writing = true;
    const reader = (async () => {
      let reads = 0;
      while (writing) {
        const read = await readManagedTable(table);
        expect(read.warnings).toEqual([]);
        expect(read.ids.has(A)).toBe(true);
        reads++;
      }
      return reads;
    })();
    await Promise.all(ids.map((id, i) => addManagedRows(table, [{ analysisId: id, runId: `run_${i}` }, { analysisId: A, runId: "dup" }])));
    writing = false;
    expect(await reader).toBeGreaterThan(0);
    const final = await readManagedTable(table);
    expect(final.rows).toHaveLength(26);
    expect(new Set(final.rows.map((r) => r.analysisId)).size).toBe(26);
    expect(await readdir(dir)).toEqual(["analyses_managed_table.txt"]); // no temp files left behind
  });

  it("appends a torn append's row again on a line of its own, the torn part only warned about", async () => {
    await writeFile(table, `analysis_id_managed,run_id\n${A},${refA}\n${B.slice(0, 13)}`);
    const torn = await readManagedTable(table);
    expect(torn.unreadable).toEqual([]);
    expect(torn.warnings).toEqual([`${table} line 3: an interrupted append left part of an analysis id; ignored`]);
    await addManagedRows(table, [{ analysisId: B, runId: refB }]);
    expect((await readManagedTable(table)).rows.map((r) => r.analysisId)).toEqual([A, B]);
  });

  it("checks the fence right before the append, and writes nothing when it throws", async () => {
    await addManagedRows(table, [{ analysisId: A, runId: refA }]);
    const before = await readFile(table);
    const lost = () => {
      throw new Error("lock lost");
    };
    await expect(addManagedRows(table, [{ analysisId: B, runId: refB }], { fence: lost })).rejects.toThrow("lock lost");
    expect(await readFile(table)).toEqual(before);
  });
});

/** The original tool's table as found in the wild: each variant holds A, B and C and must read as exactly those. */
const wild: Array<[string, () => Buffer]> = [
  ["UTF-8 with BOM", () => Buffer.from(`\uFEFFanalysis_id_managed,run_id\n${A},${refA}\n${B},${refB}\n${C},Unknown\n`)],
  ["UTF-16 LE with BOM and CRLF", () => Buffer.from(`\uFEFFanalysis_id_managed,run_id\r\n${A},${refA}\r\n${B},${refB}\r\n${C},Unknown\r\n`, "utf16le")],
  ["UTF-16 BE with BOM", () => Buffer.from(`\uFEFFanalysis_id_managed,run_id\n${A},${refA}\n${B},${refB}\n${C},Unknown\n`, "utf16le").swap16()],
  ["CRLF, blank lines and stray spaces", () => Buffer.from(`analysis_id_managed , run_id\r\n\r\n  ${A} ,  ${refA}  \r\n\t${B},${refB}\r\n\r\n${C} ,Unknown\r\n`)],
  ["duplicate rows", () => Buffer.from(`analysis_id_managed,run_id\n${A},${refA}\n${B},${refB}\n${A},${refA}\n${C},Unknown\n${B},${refB}\n`)],
  ["trailing commas and a notes column", () => Buffer.from(`analysis_id_managed,run_id,notes\n${A},${refA},\n${B},${refB},"re-sent 2024-03-01, by hand"\n${C},Unknown,,,\n`)],
];

describe("state/managed-table as found in the wild", () => {
  it.each(wild)("%s: read as its rows, and an append keeps every byte, the encoding and the line ending", async (_, bytes) => {
    const original = bytes();
    await writeFile(table, original);
    const read = await readManagedTable(table);
    expect(read.unreadable).toEqual([]);
    expect(read.ids).toEqual(new Set([A, B, C]));
    expect(await addManagedRows(table, [{ analysisId: A, runId: refA }])).toEqual([]);
    expect(await readFile(table)).toEqual(original);

    await addManagedRows(table, [{ analysisId: D, runId: "run_d" }]);
    const after = await readFile(table);
    expect(after.subarray(0, original.length)).toEqual(original);
    const reread = await readManagedTable(table);
    expect(reread.unreadable).toEqual([]);
    expect(reread.ids).toEqual(new Set([A, B, C, D]));
    const { layout } = decodeManagedTable(original);
    expect(decodeManagedTable(after)).toEqual({ text: expect.stringMatching(new RegExp(`[^\\r\\n]${layout.eol}${D},run_d${layout.eol}$`)), layout: { ...layout, endsWithNewline: true } });
  });
});
