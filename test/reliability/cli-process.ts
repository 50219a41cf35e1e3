// The real CLI as a child process, bundled from src/ (see bundle.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bundleModule } from "./bundle.js";

/** The path of the CLI bundled from src/cli/main.ts. */
export type CliBundle = string;

export const bundleCli = (): Promise<CliBundle> => bundleModule(fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url)));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Whether the process has exited. */
  exited(): boolean;
}

export interface CliRunOptions {
  /** The whole environment of the child: none of the test process's variables leak in. */
  env?: Record<string, string>;
  cwd?: string;
}

export function startCli(bundle: CliBundle, args: readonly string[], options: CliRunOptions = {}): CliRun {
  // Node's compile cache (test/global-setup.ts) is no setting of the tool: it may pass.
  const compileCache = process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {};
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env.PATH ?? "", ...compileCache, ...options.env },
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let exited = false;
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      exited = true;
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, exited: () => exited };
}

export function runCliProcess(bundle: CliBundle, args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  return startCli(bundle, args, options).done;
}

/** Runs `task` over `items` with at most `parallel` at a time, results in input order. */
export async function mapLimited<T, R>(items: readonly T[], parallel: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
  return results;
}
