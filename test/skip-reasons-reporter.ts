// Prints, after the default reporter's summary, every skipped test and why: the contract tests skip
// when ../shared holds no specs, a few others when run as root or without shellcheck or dist/, and a
// skip nobody notices hides a gap in what the suite proves. The reason is the note given to
// `context.skip(note)` or, by this suite's convention, what follows "skipped: " in the test's or its
// suite's title.
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";

const marker = "skipped: ";

/** The reason a skipped test gives, or undefined when it gives none. */
export function skipReason(test: Pick<TestCase, "fullName" | "result">): string | undefined {
  const result = test.result();
  if (result.state === "skipped" && result.note) return result.note;
  const titled = test.fullName.split(" > ").find((title) => title.includes(marker));
  if (titled === undefined) return undefined;
  const reason = titled.slice(titled.indexOf(marker) + marker.length);
  return titled.includes(`(${marker}`) ? reason.replace(/\)$/, "") : reason;
}

/** One line per file and reason: a file whose tests skip for one reason takes one line. */
export function skipLines(modules: readonly Pick<TestModule, "relativeModuleId" | "children">[]): string[] {
  const lines: string[] = [];
  for (const module of modules) {
    const byReason = new Map<string, TestCase[]>();
    for (const test of module.children.allTests("skipped")) {
      const reason = skipReason(test) ?? `no reason given (${test.fullName})`;
      byReason.set(reason, [...(byReason.get(reason) ?? []), test]);
    }
    for (const [reason, tests] of byReason) {
      const what = tests.length === 1 ? "1 test" : `${tests.length} tests`;
      lines.push(`  ↓ ${module.relativeModuleId}: ${what} skipped: ${reason}`);
    }
  }
  return lines;
}

export default class SkipReasonsReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: readonly TestModule[]): void {
    // A name filter (-t) skips everything else: those skips need no explaining.
    if (!this.vitest || this.vitest.config.testNamePattern) return;
    const lines = skipLines(modules);
    if (lines.length > 0) this.vitest.logger.log(["Skipped tests, and why:", ...lines, ""].join("\n"));
  }
}
