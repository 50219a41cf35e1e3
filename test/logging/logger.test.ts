import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { closeLogger, createLogger } from "../../src/logging/logger.js";
import { SecretRedactor } from "../../src/logging/redact.js";
import { startProgress } from "../../src/logging/progress.js";

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

describe("logging/progress startProgress", () => {
  it("draws a live line on a TTY and logs one summary", async () => {
    const out = captureStream(true);
    const log = captureStream();
    const logger = createLogger({ redactor: new SecretRedactor(), console: log });
    let clock = 0;
    const progress = startProgress(logger, "listing", { stream: out.stream, now: () => clock });
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

  it("logs periodic lines without a TTY", async () => {
    const log = captureStream();
    const logger = createLogger({ redactor: new SecretRedactor(), console: log });
    let clock = 0;
    const progress = startProgress(logger, "waiting for batch", { isTTY: false, logIntervalMs: 1_000, now: () => clock });
    progress.update(1);
    clock += 1_000;
    progress.update(2);
    clock += 500;
    progress.update(3);
    await closeLogger(logger);
    expect(log.text()).not.toContain("waiting for batch: 1\n");
    expect(log.text()).toContain("waiting for batch: 2\n");
    expect(log.text()).not.toContain("waiting for batch: 3");
  });
});
