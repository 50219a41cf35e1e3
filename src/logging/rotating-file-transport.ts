import Transport from "winston-transport";
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";

const MESSAGE = Symbol.for("message");

export interface RotatingFileOptions extends Transport.TransportStreamOptions {
  path: string;
  /** Rotate before a write would make the current file larger than this. */
  maxSizeBytes: number;
  /** Files kept in total: the current one plus `maxFiles - 1` rotated ones (`<path>.1` is the newest). */
  maxFiles: number;
}

/**
 * A size-rotated log file written synchronously. winston's own File transport loses every line of a
 * burst logged before its stream opens when `maxsize` is set, and overshoots `maxsize` afterwards
 * (seen with winston 3.19). Synchronous appends also mean a line logged just before a crash or a
 * SIGKILL is in the file; at this tool's volume (a few hundred lines a cycle) the cost is nil.
 */
export class RotatingFileTransport extends Transport {
  private readonly path: string;
  private readonly maxSizeBytes: number;
  private readonly maxFiles: number;
  private size: number;

  constructor(options: RotatingFileOptions) {
    super(options);
    this.path = options.path;
    this.maxSizeBytes = options.maxSizeBytes;
    this.maxFiles = Math.max(1, options.maxFiles);
    mkdirSync(dirname(this.path), { recursive: true });
    this.size = existsSync(this.path) ? statSync(this.path).size : 0;
  }

  override log(info: Record<symbol, unknown>, next: () => void): void {
    const line = `${String(info[MESSAGE])}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size > 0 && this.size + bytes > this.maxSizeBytes) this.rotate();
      appendFileSync(this.path, line);
      this.size += bytes;
      this.emit("logged", info);
    } catch (error) {
      this.emit("error", error);
    }
    next();
  }

  private rotate(): void {
    const rotated = (n: number): string => `${this.path}.${n}`;
    const keep = this.maxFiles - 1;
    if (keep === 0) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(rotated(keep), { force: true });
      for (let n = keep - 1; n >= 1; n--) if (existsSync(rotated(n))) renameSync(rotated(n), rotated(n + 1));
      renameSync(this.path, rotated(1));
    }
    this.size = 0;
  }
}
