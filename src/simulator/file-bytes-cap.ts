import type { Fixture } from "./fixtures/format.js";

/** A fixture file's size under the cap; files with text content (marker files) keep their real size. */
const capped = <T extends { sizeBytes: number; content?: string | undefined }>(file: T, cap: number): T =>
  file.content === undefined && file.sizeBytes > cap ? { ...file, sizeBytes: cap } : file;

/**
 * `fileBytesCap` / `--file-bytes-cap N`: every ICA fixture file (analysis outputs, their relaunch outputs,
 * project files) lists and serves at no more than `cap` bytes, so a download test or demo moves megabytes,
 * not the terabytes a lab's fixture lists. Applied to the fixture, so it holds across `/__sim/reset`.
 */
export function capFileBytes(fixture: Fixture, cap: number | undefined): Fixture {
  if (cap === undefined) return fixture;
  if (!Number.isSafeInteger(cap) || cap < 0) throw new RangeError(`fileBytesCap must be a whole number of bytes ≥ 0, not ${cap}`);
  const { ica } = fixture;
  return {
    ...fixture,
    ica: {
      ...ica,
      analyses: ica.analyses.map((a) => ({
        ...a,
        files: a.files.map((f) => capped(f, cap)),
        ...(a.requeueFiles ? { requeueFiles: a.requeueFiles.map((f) => capped(f, cap)) } : {}),
      })),
      files: ica.files.map((f) => capped(f, cap)),
    },
  };
}
