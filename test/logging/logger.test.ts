import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { closeLogger, createLogger, fitMessage, maxLineLength } from "../../src/logging/logger.js";
import { SecretRedactor } from "../../src/logging/redact.js";
import { ProgressBoard } from "../../src/logging/progress.js";

const apiKey = "ICAKEY-0a1b2c3d4e5f6789";
const token = "bsTOKEN9f8e7d6c5b4a";
const tempSecret = "AWSSECRET/abc+def==";

function captureStream(isTTY = false): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  stream.isTTY = isTTY;
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join("") };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-log-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("logging/logger createLogger", () => {
  it.each(["text", "json"] as const)("never lets a secret reach the console or the file (%s)", async (format) => {
    const redactor = new SecretRedactor([apiKey, token]);
    const console = captureStream();
    const logPath = join(dir, "orchestrator.log");
    const logger = createLogger({ redactor, format, level: "debug", console, file: { path: logPath } });
    redactor.add(tempSecret); // added after the logger exists, as temporary S3 credentials are

    const cause = new Error(`socket closed for key ${apiKey}`);
    const error = Object.assign(new Error(`request failed X-API-Key: ${apiKey}`, { cause }), {
      config: { headers: { Authorization: `Bearer ${token}` } },
    });
    logger.info(`starting with key ${apiKey}`);
    logger.warn("upload", { url: `https://s3/x?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA1`, creds: { secretKey: tempSecret } });
    logger.debug("nested", { a: { b: { c: [`token=${token}`, { error }] } } });
    logger.error("failed", error);
    logger.error(error);
    logger.child({ scope: "manageNew", apiKey }).info(`child ${encodeURIComponent(tempSecret)}`);
    await closeLogger(logger);

    const file = await readFile(logPath, "utf8");
    for (const output of [console.text(), file]) {
      expect(output).toContain("starting with key [REDACTED]");
      expect(output).toContain("manageNew");
      for (const secret of [apiKey, token, tempSecret, encodeURIComponent(tempSecret), "deadbeef", "AKIA1"]) {
        expect(output).not.toContain(secret);
      }
    }
    expect(file.trim().split("\n").length).toBeGreaterThanOrEqual(6);
  });

  it("writes one readable line per entry with structured fields and a scope prefix", async () => {
    const console = captureStream();
    const logger = createLogger({ redactor: new SecretRedactor(), console });
    logger.child({ scope: "icaLifecycle" }).info("archived folder", { dataId: "fol.1", path: "/a b/" });
    await closeLogger(logger);
    expect(console.text()).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z info \[icaLifecycle\] archived folder dataId=fol\.1 path="\/a b\/"\n$/,
    );
  });

  it("colours only on a TTY and honours the level", async () => {
    const plain = captureStream(false);
    const tty = captureStream(true);
    const quiet = createLogger({ redactor: new SecretRedactor(), console: plain, level: "warn" });
    const coloured = createLogger({ redactor: new SecretRedactor(), console: tty });
    quiet.info("hidden");
    quiet.warn("shown");
    coloured.info("hello");
    await Promise.all([closeLogger(quiet), closeLogger(coloured)]);
    expect(plain.text()).not.toContain("hidden");
    expect(plain.text()).toContain(" warn shown");
    expect(plain.text()).not.toContain("\x1b[");
    expect(tty.text()).toContain("\x1b[");
  });

  it("emits JSON lines with --log_format json", async () => {
    const console = captureStream();
    const logger = createLogger({ redactor: new SecretRedactor(), console, format: "json" });
    logger.info("linked", { analysisId: "a1", count: 2 });
    await closeLogger(logger);
    const entry = JSON.parse(console.text()) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: "info", message: "linked", analysisId: "a1", count: 2 });
    expect(typeof entry.timestamp).toBe("string");
  });

  it("cuts a long message (not an error's) so that no text line exceeds 200 characters, saying how many list entries it left out", async () => {
    const console = captureStream();
    const logger = createLogger({ redactor: new SecretRedactor(), console });
    const names = Array.from({ length: 60 }, (_, i) => `SAMPLE-${i}_S${i}_L001_R1_001.fastq.gz`);
    logger.child({ step: "manageNew" }).warn(`saw ${names.length} FASTQs: ${names.join(", ")}`, { analysisId: "a0000003" });
    logger.info("x".repeat(500));
    logger.error(`cannot go on: ${"z".repeat(300)} — fix it with --flag`);
    await closeLogger(logger);
    const [list, plain, error] = console.text().trim().split("\n");
    // An error is never cut: it must say how to fix it.
    expect(error).toMatch(/z{300} — fix it with --flag$/);
    for (const line of [list, plain]) expect(line?.length).toBeLessThanOrEqual(maxLineLength);
    const shown = /FASTQs: (.*), … \((\d+) more, see report\) analysisId=a0000003$/.exec(list ?? "");
    expect(shown).not.toBeNull();
    expect((shown?.[1] ?? "").split(", ").length + Number(shown?.[2])).toBe(names.length);
    expect(plain).toMatch(/x… \(\d+ more characters\)$/);
    expect(fitMessage("short, list", 200)).toBe("short, list");
    // One comma is prose, not a list.
    expect(fitMessage(`held: 53 analyses, see ${"r".repeat(100)}`, 60)).toMatch(/^held: 53 analyses, see r+… \(\d+ more characters\)$/);
  });

  it("carries the cycle, pair, step and analysis as JSON fields, and keeps them out of the text line's message", async () => {
    const json = captureStream();
    const text = captureStream();
    const context = { cycleId: "2025-11-21T12-00-00.000Z-abcd", pair: "core-bssh-runs -> mgi-fastq-delivery" };
    for (const [stream, format] of [[json, "json"], [text, "text"]] as const) {
      const logger = createLogger({ redactor: new SecretRedactor(), console: stream, format });
      logger.child(context).child({ step: "classifyAged" }).warn("left alone", { analysisId: "a1", ids: ["a1", "a2"] });
      logger.warn("y".repeat(400));
      await closeLogger(logger);
    }
    const [entry, long] = json.text().trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entry).toMatchObject({ level: "warn", message: "left alone", step: "classifyAged", analysisId: "a1", ids: ["a1", "a2"], ...context });
    expect(String(long?.message).length).toBeLessThanOrEqual(maxLineLength);
    expect(text.text()).toMatch(/^\S+ warn \[classifyAged\] left alone analysisId=a1\n/);
  });

  it("keeps every line of a burst in the file, across restarts of the logger", async () => {
    const logPath = join(dir, "orchestrator.log");
    for (const run of [1, 2]) {
      const logger = createLogger({ redactor: new SecretRedactor(), console: false, file: { path: logPath } });
      for (let i = 0; i < 50; i++) logger.info(`run ${run} line ${i}`);
      await closeLogger(logger);
    }
    const lines = (await readFile(logPath, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(100);
    expect(lines[99]).toContain("run 2 line 49");
  });

  it("rotates the log file by size", async () => {
    const logPath = join(dir, "orchestrator.log");
    const logger = createLogger({
      redactor: new SecretRedactor(),
      console: false,
      file: { path: logPath, maxSizeBytes: 2_000, maxFiles: 3 },
    });
    for (let i = 0; i < 100; i++) logger.info(`line ${i} ${"x".repeat(80)}`);
    await closeLogger(logger);
    const files = await Promise.all([logPath, `${logPath}.1`, `${logPath}.2`].map((p) => readFile(p, "utf8")));
    for (const content of files) expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2_000);
    expect(files[0]).toContain("line 99 ");
    expect(files[1]?.length).toBeGreaterThan(1_500);
    await expect(readFile(`${logPath}.3`, "utf8")).rejects.toThrow(/ENOENT/);
  });
});

describe("logging/progress ProgressBoard", () => {
  it("draws a live line on a TTY and logs one summary", async () => {
    const out = captureStream(true);
    const log = captureStream();
    const logger = createLogger({ redactor: new SecretRedactor(), console: log });
    let clock = 0;
    const progress = new ProgressBoard({ stream: out.stream, now: () => clock }).start(logger, "listing");
    progress.update(10, 100);
    clock += 50;
    progress.update(20, 100); // within the redraw interval: skipped
    clock += 200;
    progress.update(30, 100);
    progress.finish("100 files");
    await closeLogger(logger);
    expect(out.text()).toContain("listing: 10/100");
    expect(out.text()).not.toContain("listing: 20/100");
    expect(out.text()).toContain("listing: 30/100");
    expect(log.text()).toContain("info listing: 100 files");
    expect(log.text()).not.toContain("10/100");
  });

  it("without a TTY, a running phase logs a line on every heartbeat, with the latest progress, until it ends", async () => {
    const log = captureStream();
    const logger = createLogger({ redactor: new SecretRedactor(), console: log });
    let clock = 0;
    const ticks: Array<{ ms: number; tick: () => void; stopped: boolean }> = [];
    const repeat = (ms: number, tick: () => void) => {
      const timer = { ms, tick, stopped: false };
      ticks.push(timer);
      return () => void (timer.stopped = true);
    };
    const board = new ProgressBoard({ isTTY: false, now: () => clock, repeat });
    const phase = board.phase(logger.child({ step: "manageNew" }));
    expect(ticks.map((t) => t.ms)).toEqual([10_000]);
    clock += 10_000;
    ticks[0]?.tick();
    const linking = board.start(logger, "linking 25 file(s)");
    linking.update(5, 25); // recorded, not logged: the heartbeat says it
    clock += 10_000;
    ticks[0]?.tick();
    linking.finish("25 linked, 0 not");
    phase.end();
    await closeLogger(logger);
    const lines = log.text().trim().split("\n");
    expect(lines.map((line) => line.replace(/^\S+ /, ""))).toEqual([
      "info [manageNew] still working after 10 s",
      "info [manageNew] still working after 20 s (linking 25 file(s): 5/25)",
      "info linking 25 file(s): 25 linked, 0 not",
    ]);
    expect(ticks[0]?.stopped).toBe(true);
  });

  it("starts no heartbeat on a terminal, whose live line shows the work", () => {
    let started = 0;
    const board = new ProgressBoard({ isTTY: true, stream: captureStream(true).stream, repeat: () => ((started += 1), () => undefined) });
    board.phase(createLogger({ redactor: new SecretRedactor(), console: false })).end();
    expect(started).toBe(0);
  });
});
