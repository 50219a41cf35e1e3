import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { CliContext } from "../../src/cli/cli-context.js";
import { runCli } from "../../src/cli/run-cli.js";
import { bundleCli } from "../reliability/cli-process.js";

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

export async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting for the CLI to get there");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `ica-orchestrator <args>` as a real process (the bundled CLI), with its output collected as it comes. */
export async function spawnCli(args: readonly string[]) {
  const child = spawn(process.execPath, [await bundleCli(), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const output = { stdout: "", stderr: "", closed: false };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  void exited.then(() => (output.closed = true));
  const waitFor = async (pattern: RegExp): Promise<void> => {
    await until(() => output.closed || pattern.test(output.stderr));
    if (output.closed) throw new Error(`the CLI exited before /${pattern.source}/:\n${output.stderr}`);
  };
  return { child, output, exited, waitFor };
}

/** Runs the CLI in-process in `cwd`, with a captured context: its exit code and what it printed. */
export async function runCliIn(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const context = capturedContext({ cwd });
  const code = await runCli(argv, context);
  return { code, out: context.out(), err: context.err() };
}
