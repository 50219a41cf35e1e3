import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { lifecycleWindows } from "../../src/orchestrator/plan/age.js";
import { sourceAvailableUntil } from "../../src/orchestrator/plan/available-until.js";
import { parseIlluminaName } from "../../src/orchestrator/plan/illumina-name.js";
import { renderManifest, type ManifestEntry } from "../../src/orchestrator/plan/manifest.js";

const PROJECT = "c78835ab-a488-4b97-848d-e606b0f31772";
const MD5 = "9e107d9d372bb6826bd81d3542a419d6";
const MULTIPART = "3b1c2e9f0a8d4c7b6e5f4a3b2c1d0e9f-1193";
const LANE1 = "/ilmn-analyses/run/output/Samples/Lane_1";

const entries: ManifestEntry[] = [
  { name: "M-101_S1_L001_R1_001.fastq.gz", path: `${LANE1}/M-101_S1_L001_R1_001.fastq.gz`, dataId: "fil.1", sizeBytes: 10_000_000_000, objectETag: MULTIPART },
  { name: "M-101_S1_L001_R2_001.fastq.ora", path: `${LANE1}/M-101_S1_L001_R2_001.fastq.ora`, dataId: "fil.2", sizeBytes: 4_812, objectETag: `"${MD5}"` },
  { name: "M_odd name.fq", path: `${LANE1}/M_odd name.fq`, dataId: "fil.3", sizeBytes: null, objectETag: null },
];
const csv = renderManifest(entries, { destinationProjectId: PROJECT, availableUntil: new Date("2025-08-01T09:30:00.123Z") });

describe("manifest: the columns after the original four", () => {
  it("adds size, checksum and its type, available_until and the parsed sample, lane and read", () => {
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        file_name: "M-101_S1_L001_R1_001.fastq.gz",
        file_path: `${LANE1}/M-101_S1_L001_R1_001.fastq.gz`,
        data_id: "fil.1",
        project_id: PROJECT,
        size_bytes: "10000000000",
        checksum: MULTIPART,
        checksum_type: "s3-multipart-etag",
        available_until: "2025-08-01",
        sample: "M-101",
        lane: "1",
        read: "R1",
      },
      {
        file_name: "M-101_S1_L001_R2_001.fastq.ora",
        file_path: `${LANE1}/M-101_S1_L001_R2_001.fastq.ora`,
        data_id: "fil.2",
        project_id: PROJECT,
        size_bytes: "4812",
        checksum: MD5,
        checksum_type: "md5",
        available_until: "2025-08-01",
        sample: "M-101",
        lane: "1",
        read: "R2",
      },
      {
        file_name: "M_odd name.fq",
        file_path: `${LANE1}/M_odd name.fq`,
        data_id: "fil.3",
        project_id: PROJECT,
        size_bytes: "",
        checksum: "",
        checksum_type: "",
        available_until: "2025-08-01",
        sample: "",
        lane: "",
        read: "",
      },
    ]);
  });

  it("still reads as the original four columns, by header name and by position", () => {
    const original = ["file_name", "file_path", "data_id", "project_id"];
    const expected = entries.map((e) => [e.name, e.path, e.dataId, PROJECT]);
    // By name: a DictReader-style reader that looks the four columns up in the header.
    const byName = (parse(csv, { columns: true }) as Record<string, string>[]).map((row) => original.map((column) => row[column]));
    expect(byName).toEqual(expected);
    // By position: the header's first four cells are the original names, and so are each row's first four values.
    const [header, ...rows] = parse(csv) as string[][];
    expect(header?.slice(0, 4)).toEqual(original);
    expect(rows.map((row) => row.slice(0, 4))).toEqual(expected);
  });
});

describe("Illumina FASTQ names", () => {
  it.each([
    ["M-101_S1_L001_R1_001.fastq.gz", { sample: "M-101", lane: "1", read: "R1" }],
    ["Sample_A_S12_L004_R2_001.fastq", { sample: "Sample_A", lane: "4", read: "R2" }],
    ["M1_S3_L002_I1_001.fq.gz", { sample: "M1", lane: "2", read: "I1" }],
    ["M1_S3_L008_R1_001.FASTQ.ORA", { sample: "M1", lane: "8", read: "R1" }],
    ["M1_S3_L001_R2_001.fq", { sample: "M1", lane: "1", read: "R2" }],
    ["M1_S3_R1_001.fastq.gz", { sample: "M1", lane: "", read: "R1" }],
  ])("%s parses", (name, parsed) => {
    expect(parseIlluminaName(name)).toEqual(parsed);
  });

  it.each(["M1.fastq.gz", "M1_S3_L001_R1.fastq.gz", "M1_S3_L001_R1_001.bam", "M1_S3_L1_R1_001.fastq.gz", "_S3_L001_R1_001.fastq.gz"])(
    "%s does not parse",
    (name) => {
      expect(parseIlluminaName(name)).toBeUndefined();
    },
  );
});

describe("available_until", () => {
  const started = { startDate: "2025-06-01T10:00:00Z", timeCreated: "2025-05-31T08:00:00Z" };
  const settings = (daysToArchive: number | null, daysToDelete: number, minDaysAfterDelivery: number) => ({
    windows: lifecycleWindows(daysToArchive, daysToDelete),
    minDaysAfterDelivery,
  });

  it("is the analysis start plus days_to_archive when that comes after the delivery hold", () => {
    expect(sourceAvailableUntil(started, "2025-06-02T06:00:00Z", settings(30, 90, 7)).toISOString()).toBe("2025-07-01T10:00:00.000Z");
  });

  it("is days_to_delete from the start when archiving is off", () => {
    expect(sourceAvailableUntil(started, "2025-06-02T06:00:00Z", settings(null, 45, 7)).toISOString()).toBe("2025-07-16T10:00:00.000Z");
  });

  it("is the delivery plus min_days_after_delivery for an analysis delivered late (an adopted old one)", () => {
    expect(sourceAvailableUntil(started, "2025-09-01T12:00:00Z", settings(30, 90, 7)).toISOString()).toBe("2025-09-08T12:00:00.000Z");
  });

  it("counts from the creation of an analysis that never started, as the lifecycle does", () => {
    const neverStarted = { startDate: null, timeCreated: "2025-05-31T08:00:00Z" };
    expect(sourceAvailableUntil(neverStarted, "2025-06-01T00:00:00Z", settings(30, 90, 0)).toISOString()).toBe("2025-06-30T08:00:00.000Z");
  });
});
