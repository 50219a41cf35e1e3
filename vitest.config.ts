import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Files that keep every core busy by themselves (worker threads, lanes of CLI processes) for most of a
 * minute: run one at a time, before the rest, so that they never compete with each other for the
 * cores and their timeouts. Files that are mostly one thread (bad-input runs most cases in-process)
 * or busy for seconds only (cycle-kill) belong with the rest, where another file uses the other core.
 */
const selfParallel = ["test/reliability/safety-properties.test.ts", "test/reliability/kill-resume.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Test files share their worker's module graph: loading src/ and its dependencies again for each of
    // ~100 files cost about half the CPU of the files outside the reliability ones. No test mocks
    // modules or leaves global state behind (the one that sets TZ restores it).
    isolate: false,
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default", "./test/skip-reasons-reporter.ts"],
    // The SDK's notices about the Node versions its future releases need are for operators, not test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    projects: [
      {
        extends: true,
        test: { name: "self-parallel", include: selfParallel, maxWorkers: 1, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: "rest",
          include: ["test/**/*.test.ts"],
          exclude: selfParallel,
          // Vitest's default on 2 cores is one worker, which leaves a core idle while a file waits on
          // child processes, sockets or timers. Many of these files wait a good part of their time (on a
          // simulated latency, a cron tick, a linking batch), so one file more than there are cores keeps
          // them busy.
          maxWorkers: availableParallelism() + 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
