import { spawn } from "node:child_process";
import { open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { asTheBinStarts } from "../src/cli/memory-flags.js";
import { cycleChildResultSchema, type CycleChildResult } from "./cycle-spec.js";

const childScript = fileURLToPath(new URL("./cycle-child.js", import.meta.url));

export interface CycleProcessInput {
  settings: Record<string, unknown>;
  clockOffsetMs: number;
  /** Where the spec, the result and the cycle's log go (the cycle's state dir is in `settings`). */
  workDir: string;
  /** Names the files of this run, e.g. `lab-year-first`. */
  label: string;
}

/**
 * Runs one cycle in a child process and returns what it measured. The child's log goes to
 * `<workDir>/<label>.log`; a child that fails names that file.
 */
export async function runCycleProcess(input: CycleProcessInput): Promise<CycleChildResult> {
  const specPath = join(input.workDir, `${input.label}.spec.json`);
  const resultPath = join(input.workDir, `${input.label}.result.json`);
  const logPath = join(input.workDir, `${input.label}.log`);
  await writeFile(specPath, JSON.stringify({ settings: input.settings, clockOffsetMs: input.clockOffsetMs, resultPath }), { mode: 0o600 });
  const log = await open(logPath, "w");
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const start = asTheBinStarts([childScript, specPath]);
      const child = spawn(process.execPath, start.args, { stdio: ["ignore", log.fd, log.fd], env: start.env });
      child.on("error", reject);
      child.on("exit", (exitCode, signal) => resolve(signal ? null : exitCode));
    });
    if (code !== 0) throw new Error(`the ${input.label} cycle exited with ${code ?? "a signal"}; see ${logPath}`);
  } finally {
    await log.close();
  }
  return cycleChildResultSchema.parse(JSON.parse(await readFile(resultPath, "utf8")));
}
