/**
 * `ica-orchestrator download …` in a process of its own, so its peak RSS and CPU time are the command's alone (the
 * simulator lives in the bench process). Usage: node dist/bench/download-child.js <result.json> <cli args…>
 */
import writeFileAtomic from "write-file-atomic";
import { runCli } from "../src/cli/run-cli.js";
import { peakRssKb } from "./peak-rss.js";

async function main(resultPath: string, argv: readonly string[]): Promise<number> {
  const code = await runCli(argv);
  const usage = process.resourceUsage();
  await writeFileAtomic(resultPath, JSON.stringify({ code, maxRssKb: peakRssKb(), cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  return code;
}

const [resultPath, ...argv] = process.argv.slice(2);
if (!resultPath) {
  console.error("usage: node dist/bench/download-child.js <result.json> <cli args…>");
  process.exit(2);
}
main(resultPath, argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench download failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
