import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileUserPattern } from "../../src/config/user-pattern.js";
import {
  fastqMatcher,
  noMgiFastqWarning,
  selectFastqs,
  selectFastqsFromStream,
  type FileRecord,
} from "../../src/orchestrator/plan/fastq-selection.js";
import { manifestFileName, icaManifestPath, renderManifest } from "../../src/orchestrator/plan/manifest.js";

const PROJECT = "c78835ab-a488-4b97-848d-e606b0f31772";
const until = new Date("2025-08-01T09:30:00.000Z");
const context = (destinationProjectId = PROJECT) => ({ destinationProjectId, availableUntil: until });
const HEADER = "file_name,file_path,data_id,project_id,size_bytes,checksum,checksum_type,available_until,sample,lane,read\n";

const file = (name: string, id = `fil.${name}`): FileRecord => ({
  id,
  name,
  path: `/ilmn-analyses/ref/output/Samples/Lane_1/${name}`,
  sizeBytes: name.length,
});

describe("orchestrator/plan/fastq-selection", () => {
  const names = [
    "M-123-1_S1_L001_R1_001.fastq.gz",
    "MGI2_S2_L001_R1_001.fq.gz",
    "M3_S3_L001_R1_001.fastq",
    "M4_S4_L001_R1_001.FASTQ.GZ",
    "Phix_S1_L005_R1_001.fastq.gz",
    "mlower_S5_L001_R1_001.fastq.gz",
    "Undetermined_S0_L001_R1_001.fastq.gz",
    "M5_S5_L001_R1_001.fastq.gz.md5",
    "M6.bam",
    "SampleSheet.csv",
  ];

  it("selects FASTQs starting with M by default, and sees every FASTQ", () => {
    const result = selectFastqs(names.map((n) => file(n)));
    expect(result.selected.map((f) => f.name)).toEqual(names.slice(0, 4));
    expect(result.seenFastqs.map((f) => f.name)).toEqual(names.slice(0, 7));
  });

  it("never selects Undetermined, in any case, whatever the pattern", () => {
    const all = fastqMatcher(/.*/);
    expect(all("Undetermined_S0_L001_R1_001.fastq.gz")).toBe(false);
    expect(all("UNDETERMINED_S0_L001_R1_001.fastq.gz")).toBe(false);
    expect(all("undetermined.fq.gz")).toBe(false);
    expect(all("Phix_S1_L005_R1_001.fastq.gz")).toBe(true);
  });

  it("uses a configured pattern, the same on every call", () => {
    const matches = fastqMatcher(compileUserPattern("/^phix_/i"));
    expect([matches("Phix_S1.fastq.gz"), matches("Phix_S1.fastq.gz"), matches("M1.fastq.gz")]).toEqual([true, true, false]);
  });

  it("counts a file listed twice once, also from an async stream", async () => {
    async function* stream() {
      yield file("M1.fastq.gz", "fil.1");
      yield file("M1.fastq.gz", "fil.1");
      yield file("Undetermined.fastq.gz", "fil.2");
    }
    const result = await selectFastqsFromStream(stream());
    expect(result.selected.map((f) => f.id)).toEqual(["fil.1"]);
    expect(result.seenFastqs.map((f) => f.id)).toEqual(["fil.1", "fil.2"]);
  });

  it("warns about an analysis without MGI FASTQ, listing the FASTQs it saw", () => {
    const result = selectFastqs([file("Phix_S1.fastq.gz"), file("Undetermined_S0.fastq.gz")]);
    expect(noMgiFastqWarning({ id: "id-1", reference: "ref-1" }, result)).toBe(
      "no MGI FASTQ in ref-1 (saw 2 FASTQ(s), none matching fastq_pattern: Phix_S1.fastq.gz, Undetermined_S0.fastq.gz); not recorded and held from archive and delete: widen fastq_pattern or fastq_suffixes, or run mark-managed id-1",
    );
    expect(noMgiFastqWarning({ id: "id-2", reference: "ref-2" }, selectFastqs([]))).toMatch(/saw no recognisable FASTQ at all/);
    expect(noMgiFastqWarning({ id: "id-3", reference: "ref-3" }, selectFastqs([file("M1.fastq.gz")]))).toBeNull();
  });

  it("property: selected ⊆ seen FASTQs, all matching the pattern, none Undetermined", () => {
    const nameArb = fc
      .tuple(
        fc.constantFrom("M", "m", "Undetermined", "UNDETERMINED", "Phix", "MUndetermined", ""),
        fc.string({ maxLength: 6 }),
        fc.constantFrom(".fastq.gz", ".fq.gz", ".fastq", ".FQ.GZ", ".bam", ".fastq.gz.tmp", ""),
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.array(nameArb, { maxLength: 20 }), (fileNames) => {
        const result = selectFastqs(fileNames.map((n, i) => file(n, `fil.${i}`)));
        for (const f of result.selected) {
          expect(f.name.startsWith("M")).toBe(true);
          expect(/^undetermined/i.test(f.name)).toBe(false);
          expect(/\.(fastq\.gz|fq\.gz|fastq)$/i.test(f.name)).toBe(true);
          expect(result.seenFastqs).toContain(f);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("orchestrator/plan/manifest", () => {
  it("renders the predecessor's header and one row per file, sorted by path, with \\n endings", () => {
    const csv = renderManifest(
      [
        { name: "M2.fastq.gz", path: "/a/Lane_2/M2.fastq.gz", dataId: "fil.2" },
        { name: "M1.fastq.gz", path: "/a/Lane_1/M1.fastq.gz", dataId: "fil.1" },
        { name: "M1.fastq.gz", path: "/a/Lane_1/M1.fastq.gz", dataId: "fil.1" },
      ],
      context(),
    );
    expect(csv).toBe(
      HEADER +
        `M1.fastq.gz,/a/Lane_1/M1.fastq.gz,fil.1,${PROJECT},,,,2025-08-01,,,\n` +
        `M2.fastq.gz,/a/Lane_2/M2.fastq.gz,fil.2,${PROJECT},,,,2025-08-01,,,\n`,
    );
  });

  it("quotes commas, quotes and newlines as RFC 4180 says", () => {
    const csv = renderManifest([{ name: 'M "x", y\nz.fastq.gz', path: "/p/1", dataId: "fil.1" }], context("proj"));
    expect(csv).toBe(`${HEADER}"M ""x"", y\nz.fastq.gz",/p/1,fil.1,proj,,,,2025-08-01,,,\n`);
    expect(renderManifest([], context("proj"))).toBe(HEADER);
    expect(() => renderManifest([], context(" "))).toThrow(/destination project id/);
  });

  it("property: any names and paths survive a round trip through a CSV parser, in path order", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "Z", ",", '"', "\n", "\r", " ", "é", "/", "😀"), maxLength: 12 });
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ name: text, path: text, dataId: text }), { selector: (e) => e.dataId, maxLength: 8 }), (entries) => {
        const rows = parse(renderManifest(entries, context("proj-1")), { columns: true }) as Record<string, string>[];
        const expected = [...entries]
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.dataId < b.dataId ? -1 : a.dataId > b.dataId ? 1 : 0))
          .map((e) => expect.objectContaining({ file_name: e.name, file_path: e.path, data_id: e.dataId, project_id: "proj-1" }));
        expect(rows).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("names the manifest after the run id, with characters ICA names should not hold replaced", () => {
    const ref = "20240529_LH00619_0013_B22CCFJLT4_a912e3_9d578d-BclConvert_v4_1_23_patch1-7898625c-01f0-4cc0-b9ed-89216d700613";
    expect(manifestFileName(ref)).toBe(`${ref}.download_manifest.csv`);
    expect(icaManifestPath("run1")).toBe("/fastq_manifests/run1.download_manifest.csv");
    expect(manifestFileName("a/b c*d'e\u0000f😀")).toBe("a_b_c_d_e_f_.download_manifest.csv");
    expect(manifestFileName("..hidden")).toBe("__hidden.download_manifest.csv");
    expect(() => manifestFileName("  ")).toThrow(/needs a run id/);
  });
});
