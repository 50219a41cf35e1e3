import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { DownloadProgress, humanBytes } from "../../src/cli/download-progress.js";
import type { FileResult } from "../../src/modules/data-transfer/index.js";

function stream(tty: boolean): { stream: PassThrough & { isTTY?: boolean }; text(): string } {
  const out: PassThrough & { isTTY?: boolean } = new PassThrough();
  if (tty) out.isTTY = true;
  let text = "";
  out.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream: out, text: () => text };
}

const verified: FileResult = {
  row: { fileName: "a.fastq.gz", filePath: "/o/a.fastq.gz", dataId: "fil.a", projectId: "p" },
  size: 2_000_000,
  outcome: { status: "verified", method: "MD5", fetchedBytes: 2_000_000, credentialRefreshes: 0 },
};

describe("DownloadProgress", () => {
  it("on a terminal, draws a bar on stderr and clears it to print each file's line on stdout", async () => {
    const [out, err] = [stream(false), stream(true)];
    let now = 0;
    const progress = new DownloadProgress(out.stream, err.stream, () => now);
    progress.start(4_000_000, 2);
    now = 1_000;
    progress.add(2_000_000);
    progress.file(verified);
    progress.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(err.text()).toContain("\r\u001b[K[###############---------------]  50%  2.0 MB of 4.0 MB  2.0 MB/s  0/2 files");
    expect(err.text().endsWith("\r\u001b[K")).toBe(true);
    expect(out.text()).toBe("verified  a.fastq.gz  2.0 MB  MD5\n");
  });

  it("elsewhere, prints only a line per file", async () => {
    const [out, err] = [stream(false), stream(false)];
    const progress = new DownloadProgress(out.stream, err.stream, () => 0);
    progress.start(2_000_000, 1);
    progress.add(2_000_000);
    progress.file({ ...verified, outcome: { status: "failed", why: "the store answered 500", fetchedBytes: 0 } });
    progress.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(err.text()).toBe("");
    expect(out.text()).toBe("FAILED    a.fastq.gz  2.0 MB  the store answered 500\n");
  });

  it("gives sizes in decimal units", () => {
    expect([humanBytes(999), humanBytes(1_500), humanBytes(2_560_000_000)]).toEqual(["999 B", "1.5 KB", "2.6 GB"]);
  });
});
