// Global setup of the suite: the directory every bundled entry point (test/reliability/bundle.ts) is
// written to, shared by all test files and workers of one run.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    bundleDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let dir = await mkdtemp(join(tmpdir(), "test-bundles-"));
  project.provide("bundleDir", dir);
  // In watch mode src/ may have changed since the last run: bundle again.
  project.onTestsRerun(async () => {
    await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), "test-bundles-"));
    project.provide("bundleDir", dir);
  });
  return () => rm(dir, { recursive: true, force: true });
}
