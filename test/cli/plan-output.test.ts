import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { outputDocumentSchema } from "../../src/cli/output-document.js";
import { runCli } from "../../src/cli/run-cli.js";
import type { Simulator } from "../../src/simulator/server.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator, withFlag } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-plan-out-");
  sim = await startCliSimulator(dir.path);
  // Delivered data may go at once, so a second cycle has archives and deletes to plan.
  args = [...simulatorArgs(sim, dir.path), "--min_days_after_delivery", "0"];
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

async function cli(argv: string[]) {
  const context = capturedContext({ cwd: dir.path });
  const code = await runCli(argv, context);
  return { code, out: context.out(), err: context.err() };
}

function cycles(text: string) {
  const document = outputDocumentSchema.parse(JSON.parse(text));
  if (!("cycles" in document)) throw new Error(`expected a plan or run document, got ${document.command}`);
  return document;
}

const actionsOf = (document: ReturnType<typeof cycles>) =>
  document.cycles.flatMap((cycle) => cycle.plan.steps.flatMap((step) => step.items.map((item) => item.action)));

describe("-o json", () => {
  it("plan, run and status print one versioned document that the schema parses", async () => {
    const plan = await cli(["plan", ...args, "-o", "json"]);
    expect(plan.code).toBe(0);
    const planned = cycles(plan.out);
    expect(planned).toMatchObject({ schemaVersion: 2, command: "plan", complete: true });
    expect(planned.cycles[0]?.totals.byKind.link.items).toBeGreaterThan(0);
    expect(planned.cycles[0]?.plan.context).toMatchObject({ daysToArchive: 60, daysToDelete: 90, archivePolicy: "standard" });

    const run = await cli(["run", ...args, "--output", "json"]);
    expect(run.code).toBe(0);
    const ran = cycles(run.out);
    expect(ran).toMatchObject({ schemaVersion: 2, command: "run", complete: true });
    expect(ran.cycles[0]?.storage?.estimatedMonthlyIcredits).toBeGreaterThan(0);

    const status = await cli(["status", ...args, "-o", "json"]);
    expect(status.code).toBe(0);
    expect(outputDocumentSchema.parse(JSON.parse(status.out))).toMatchObject({ schemaVersion: 2, command: "status" });
    expect((await cli(["status", ...args, "--json"])).out).toBe(status.out);
  });

  it("a second cycle's plan sizes the ICA folders and prices each archive, unarchive and delete", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const document = cycles((await cli(["plan", ...args, "-o", "json"])).out);
    const ica = document.cycles[0]?.plan.steps.find((step) => step.step === "icaLifecycle")?.items ?? [];
    const acting = ica.filter((item) => ["archive", "unarchive", "delete"].includes(item.action));
    expect(acting.length).toBeGreaterThan(0);
    for (const item of acting) {
      expect(item.sizeBytes).toBeGreaterThan(0);
      expect(item.icredits).toBeDefined();
    }
  });

  it("sizes the ICA folders of analyses recorded without delivery (--adopt record), from their files", async () => {
    const document = cycles((await cli(["plan", ...withFlag(args, "--adopt", "record"), "-o", "json"])).out);
    const ica = document.cycles[0]?.plan.steps.find((step) => step.step === "icaLifecycle")?.items ?? [];
    expect(ica.length).toBeGreaterThan(0);
    for (const item of ica) expect(item.sizeBytes).toBeGreaterThan(0);
  });

  it("refuses an unknown format (exit 2)", async () => {
    const result = await cli(["plan", ...args, "-o", "yaml"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("Allowed choices are table, json");
  });
});

describe("plan", () => {
  it("--as-of plans for another date without changing anything: later dates delete more", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const journal = join(dir.path, "state", "journal.json");
    const before = await readFile(journal, "utf8");
    const now = cycles((await cli(["plan", ...args, "-o", "json"])).out);
    const later = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const result = await cli(["plan", ...args, "-o", "json", "--as-of", later]);
    expect(result.code).toBe(0);
    const then = cycles(result.out);
    expect(then.cycles[0]?.plan.generatedAt).toBe(`${later}T00:00:00.000Z`);
    expect(then.cycles[0]?.plan.context?.asOf).toBe(true);
    const removals = (document: ReturnType<typeof cycles>) => actionsOf(document).filter((a) => ["delete", "unarchive", "trash", "restore"].includes(a)).length;
    expect(removals(then)).toBeGreaterThan(removals(now));
    expect(await readFile(journal, "utf8")).toBe(before);
    const table = await cli(["plan", ...args, "--as-of", later]);
    expect(table.out).toContain(`Plan as of ${later}T00:00:00.000Z (ages computed at that date; nothing changed)`);
  });

  it("refuses an --as-of that is not a date (exit 2)", async () => {
    const result = await cli(["plan", ...args, "--as-of", "next tuesday"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("expected an ISO-8601 date");
  });

  it("--report writes the plan document to a file and nothing else", async () => {
    const result = await cli(["plan", ...args, "--report", "plan.json"]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Plan at /);
    expect(cycles(await readFile(join(dir.path, "plan.json"), "utf8")).command).toBe("plan");
    expect(await exists(join(dir.path, "state"))).toBe(false);
  });

  it("lists the first few items of each action, and every item with --verbose", async () => {
    const short = await cli(["plan", ...args]);
    const verbose = await cli(["plan", ...args, "--verbose"]);
    expect(short.out).toMatch(/… and \d+ more \(--verbose lists every item\)/);
    expect(verbose.out).not.toMatch(/more \(--verbose lists every item\)/);
    expect(verbose.out.split("\n").length).toBeGreaterThan(short.out.split("\n").length);
  });

  it("--archive_policy cost-aware skips the archives deleted too soon to pay off, and says why", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const standard = cycles((await cli(["plan", ...args, "-o", "json"])).out);
    expect(actionsOf(standard)).toContain("archive");
    const aware = cycles((await cli(["plan", ...args, "-o", "json", "--archive_policy", "cost-aware"])).out);
    expect(actionsOf(aware)).not.toContain("archive");
    const skipped = aware.cycles[0]?.plan.steps.flatMap((step) => step.items).filter((item) => item.action === "skip-cost") ?? [];
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped[0]?.reason).toMatch(/cost-aware: deleted in [\d.]+ d, archiving would lose [\d.]+ iCredits per TB/);
    const table = await cli(["plan", ...args]);
    expect(table.out).toContain("costs 29.5 iCredits per TB more than it saves");
  });

  it("does not call the FASTQs of a re-delivered analysis unlinked when the destination has them", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const tablePath = join(dir.path, "state", "analyses_managed_table.txt");
    const [header, first, ...rest] = (await readFile(tablePath, "utf8")).trimEnd().split("\n");
    await writeFile(tablePath, `${[header, ...rest].join("\n")}\n`);
    const analysisId = first?.split(",")[0] ?? "";
    const document = cycles((await cli(["plan", ...args, "-o", "json"])).out);
    const items = document.cycles[0]?.plan.steps.flatMap((step) => step.items).filter((item) => item.analysisId === analysisId) ?? [];
    expect(items.map((item) => item.action)).toContain("record");
    expect(items.map((item) => item.action)).not.toContain("link");
  });
});

describe("a plan that could not read what it needs", () => {
  let proxy: Server;
  afterEach(async () => {
    await new Promise((resolve) => proxy.close(resolve));
  });

  /** ICA as the simulator answers it, except that the analyses cannot be listed (a 404 is not retried, so the test is quick). */
  async function icaWithoutAnalyses(): Promise<string> {
    const target = new URL(sim.icaUrl);
    proxy = createServer((req, res) => {
      if (/\/(analyses|analysis:search)(\?|$)/.test(req.url ?? "")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ title: "Not Found", status: 404 }));
        return;
      }
      const forwarded = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    return `http://127.0.0.1:${port}${target.pathname === "/" ? "" : target.pathname}`;
  }

  it("exits 1 and says the plan is incomplete, in the table and in the JSON", async () => {
    const broken = withFlag(args, "--server_url", await icaWithoutAnalyses());
    const table = await cli(["plan", ...broken]);
    expect(table.code).toBe(1);
    expect(table.out).toContain("INCOMPLETE PLAN:");
    const json = await cli(["plan", ...broken, "-o", "json"]);
    expect(json.code).toBe(1);
    const document = cycles(json.out);
    expect(document.complete).toBe(false);
    expect(document.cycles[0]?.errors.length).toBeGreaterThan(0);
  });
});
