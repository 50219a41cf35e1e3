import { describe, expect, it } from "vitest";
import { DownloadInputError, parseManifest } from "../../../src/modules/data-transfer/download/manifest-rows.js";
import { renderManifest } from "../../../src/orchestrator/plan/manifest.js";

describe("parseManifest", () => {
  it("reads the manifest a cycle writes: size and checksum from its later columns", () => {
    const csv = renderManifest(
      [{ name: "M-1_S1_L001_R1_001.fastq.gz", path: "/out/M-1_S1_L001_R1_001.fastq.gz", dataId: "fil.1", sizeBytes: 12, objectETag: '"0123456789abcdef0123456789abcdef-2"' }],
      { destinationProjectId: "prj-d", availableUntil: new Date("2027-01-01T00:00:00Z") },
    );
    expect(parseManifest(csv, "m.csv")).toEqual([
      {
        fileName: "M-1_S1_L001_R1_001.fastq.gz",
        filePath: "/out/M-1_S1_L001_R1_001.fastq.gz",
        dataId: "fil.1",
        projectId: "prj-d",
        sizeBytes: 12,
        checksum: "0123456789abcdef0123456789abcdef-2",
      },
    ]);
  });

  it("reads the original four-column manifest", () => {
    expect(parseManifest("file_name,file_path,data_id,project_id\na.fq,/o/a.fq,fil.a,p\n", "m.csv")).toEqual([
      { fileName: "a.fq", filePath: "/o/a.fq", dataId: "fil.a", projectId: "p" },
    ]);
  });

  it("reads the later columns by name, whatever follows them, and keeps a row listed twice once", () => {
    const csv = [
      "file_name,file_path,data_id,project_id,size_bytes,checksum,checksum_type,available_until,sample,lane,read",
      'a.fastq.gz,/o/a.fastq.gz,fil.a,p,1024,"0123456789abcdef0123456789abcdef-2",s3-etag,2027-01-01,S1,1,R1',
      "b.fastq.gz,/o/b.fastq.gz,fil.b,p,,,,,,,",
      'a.fastq.gz,/o/a.fastq.gz,fil.a,p,1024,"0123456789abcdef0123456789abcdef-2",s3-etag,2027-01-01,S1,1,R1',
    ].join("\n");
    expect(parseManifest(csv, "m.csv")).toEqual([
      { fileName: "a.fastq.gz", filePath: "/o/a.fastq.gz", dataId: "fil.a", projectId: "p", sizeBytes: 1024, checksum: "0123456789abcdef0123456789abcdef-2" },
      { fileName: "b.fastq.gz", filePath: "/o/b.fastq.gz", dataId: "fil.b", projectId: "p" },
    ]);
  });

  it.each([
    ["", "lists no file"],
    ["name,path\nx,y\n", "has no file_name, file_path, data_id, project_id column"],
    ["file_name,file_path,data_id,project_id\n../x,/o/x,fil.x,p\n", "line 2: file_name is not a plain file name"],
    ["file_name,file_path,data_id,project_id\nx,/o/x,,p\n", "line 2: data_id is empty"],
    ["file_name,file_path,data_id,project_id,size_bytes\nx,/o/x,fil.x,p,12kb\n", "line 2: size_bytes is not a whole number of bytes"],
    ["file_name,file_path,data_id,project_id\nx,/a/x,fil.1,p\nx,/b/x,fil.2,p\n", "line 3: x is listed twice with different data ids"],
    ['file_name,file_path\n"x,y\n', "is not a readable CSV"],
  ])("refuses %j with one line saying what to fix", (csv, message) => {
    expect(() => parseManifest(csv, "m.csv")).toThrow(DownloadInputError);
    expect(() => parseManifest(csv, "m.csv")).toThrow(message);
  });
});
