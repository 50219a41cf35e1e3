import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { CliContext } from "../../src/cli/cli-context.js";

export interface CapturedContext extends CliContext {
  out(): string;
  err(): string;
  /** Sends a shutdown request (as SIGTERM would) to whatever listens. */
  shutdown(signal?: string): void;
  /** How many shutdown listeners are registered now. */
  listeners(): number;
}

function capture(): { stream: PassThrough & { isTTY?: boolean }; text(): string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join("") };
}

/** An in-process CLI context: captured stdout/stderr (not TTYs), the given env and dirs, a manual shutdown. */
export function capturedContext(options: { cwd: string; homeDir?: string; env?: CliContext["env"] }): CapturedContext {
  const stdout = capture();
  const stderr = capture();
  const listeners = new Set<(signal: string) => void>();
  return {
    env: options.env ?? {},
    homeDir: options.homeDir ?? options.cwd,
    cwd: options.cwd,
    stdout: stdout.stream,
    stderr: stderr.stream,
    onShutdown(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    out: stdout.text,
    err: stderr.text,
    shutdown: (signal = "SIGTERM") => [...listeners].forEach((listener) => listener(signal)),
    listeners: () => listeners.size,
  };
}

export async function tempDir(prefix: string): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
