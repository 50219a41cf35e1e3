// Global setup of the suite: the directory every bundled entry point (test/reliability/bundle.ts) is
// written to, shared by all test files and workers of one run, and Node's compile cache beside it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    bundleDir: string;
  }
}

/**
 * The suite starts the bundled CLI (5 MB of JavaScript) over a hundred times; compiling it is a good
 * part of each start. On Node 22.1 and later the workers, and the processes they start with this
 * environment, keep V8's compiled code here and reuse it (older Node ignores the variable).
 */
function useCompileCache(bundleDir: string): void {
  process.env.NODE_COMPILE_CACHE = join(bundleDir, "compile-cache");
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let dir = await mkdtemp(join(tmpdir(), "test-bundles-"));
  project.provide("bundleDir", dir);
  useCompileCache(dir);
  // In watch mode src/ may have changed since the last run: bundle again.
  project.onTestsRerun(async () => {
    await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), "test-bundles-"));
    project.provide("bundleDir", dir);
    useCompileCache(dir);
  });
  return () => rm(dir, { recursive: true, force: true });
}
