import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Test files share their workers' module graph: loading src/ and its dependencies again for each of
    // ~100 files cost about half the suite's CPU outside the safety properties. No test mocks modules
    // or leaves global state behind (the one that sets TZ restores it).
    isolate: false,
    // Vitest's default on 2 cores is one worker, which leaves a core idle while a file waits on child
    // processes, sockets or timers: at least two files at a time keep both busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default", "./test/skip-reasons-reporter.ts"],
    // Node 20 is the target runtime; the SDK's notice that future releases need Node 22 is for operators, not test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
