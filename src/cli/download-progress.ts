import type { Writable } from "node:stream";
import type { FileResult } from "../modules/data-transfer/index.js";

type OutputStream = Writable & { isTTY?: boolean; columns?: number };

/** 1.2 GB, 350.0 MB, 12 KB: decimal units, as download speeds are usually given. */
export function humanBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit] ?? "?"}`;
}

/** One line per file on stdout: what happened to it and how it was checked. */
function fileLine(result: FileResult): string {
  const { row, size, outcome } = result;
  const sizeText = size === null ? "" : `  ${humanBytes(size)}`;
  switch (outcome.status) {
    case "present":
      return `present   ${row.fileName}${sizeText}  ${outcome.method}`;
    case "verified": {
      const notes = [
        outcome.method,
        ...(outcome.credentialRefreshes > 0 ? [`credentials renewed ${outcome.credentialRefreshes}× after they expired`] : []),
        ...(outcome.redownloaded !== undefined ? [`downloaded again after failing verification (${outcome.redownloaded})`] : []),
      ];
      return `verified  ${row.fileName}${sizeText}  ${notes.join("; ")}`;
    }
    case "failed":
      return `FAILED    ${row.fileName}${sizeText}  ${outcome.why}`;
  }
}

const redrawEveryMs = 100;

/**
 * Progress of a download: on a terminal, a bar on stderr redrawn at most ten times a second, with
 * the file lines printed above it; elsewhere (a pipe, a log) only the file lines.
 */
export class DownloadProgress {
  private total = 0;
  private done = 0;
  private files = 0;
  private finished = 0;
  private startedMs = 0;
  private drawnMs = 0;
  private drawn = false;

  constructor(
    private readonly stdout: OutputStream,
    private readonly stderr: OutputStream,
    private readonly now: () => number = Date.now,
  ) {}

  private get bar(): boolean {
    return this.stderr.isTTY === true;
  }

  start(totalBytes: number, files: number): void {
    this.total = totalBytes;
    this.files = files;
    this.startedMs = this.now();
  }

  add(bytes: number): void {
    this.done = Math.min(this.total, this.done + bytes);
    if (this.bar && this.now() - this.drawnMs >= redrawEveryMs) this.draw();
  }

  file(result: FileResult): void {
    this.finished += 1;
    this.clear();
    this.stdout.write(`${fileLine(result)}\n`);
    if (this.bar) this.draw();
  }

  /** Removes the bar, before the summary. */
  end(): void {
    this.clear();
  }

  private draw(): void {
    const fraction = this.total === 0 ? 1 : this.done / this.total;
    const seconds = Math.max(0.001, (this.now() - this.startedMs) / 1000);
    const width = 30;
    const filled = Math.round(fraction * width);
    const text =
      `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ` +
      `${humanBytes(this.done)} of ${humanBytes(this.total)}  ${humanBytes(this.done / seconds)}/s  ${this.finished}/${this.files} files`;
    this.stderr.write(`\r\u001b[K${text}`);
    this.drawn = true;
    this.drawnMs = this.now();
  }

  private clear(): void {
    if (!this.drawn) return;
    this.stderr.write("\r\u001b[K");
    this.drawn = false;
  }
}
