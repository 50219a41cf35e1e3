import type { FileHandle } from "node:fs/promises";
import { Writable } from "node:stream";

/** Bytes a part may hold in memory waiting for the disk: with 8 parts in flight, 8 MiB at most. */
const bufferedBytes = 256 * 1024;

/**
 * Writes a stream of chunks at consecutive offsets of a file from `start`, and tells `onWritten` how many
 * bytes are written after each write. Chunks that arrive while a write is on the disk go out together
 * in one `writev`: a socket hands over ~64 KiB at a time, and one positioned write (a hop to libuv's
 * thread pool and back) per chunk cost more of the main thread than hashing them; reading also goes on
 * while the disk writes.
 */
export class PositionedWriter extends Writable {
  private position: number;
  private written = 0;

  constructor(
    private readonly handle: FileHandle,
    start: number,
    private readonly onWritten: (bytes: number) => void,
  ) {
    super({ highWaterMark: bufferedBytes });
    this.position = start;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.writeAll(chunks.map(({ chunk }) => chunk)).then(() => callback(), callback);
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    let rest = buffers;
    while (rest.length > 0) {
      const { bytesWritten } = await this.handle.writev(rest, this.position);
      if (bytesWritten === 0) throw new Error("the disk took no byte of a write (is it full?)");
      this.position += bytesWritten;
      this.written += bytesWritten;
      rest = after(rest, bytesWritten);
    }
    this.onWritten(this.written);
  }
}

/** What is left of `buffers` once their first `bytes` bytes are written (a short write). */
function after(buffers: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  const rest: Buffer[] = [];
  for (const buffer of buffers) {
    if (skip >= buffer.length) skip -= buffer.length;
    else {
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
  }
  return rest;
}
