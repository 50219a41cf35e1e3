import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { loadTransferSettings } from "../../config/index.js";
import { IcaClient } from "../../ica/client.js";
import { parseManifest, type FileResult } from "../../modules/data-transfer/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { DownloadProgress, humanBytes } from "../download-progress.js";
import { favourSpeedOverMemory } from "../memory-flags.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { readIcaManifest, readLocalManifest } from "../manifest-source.js";

/** What a recipient's key needs and where the manifest may be: nothing of the cycle's BaseSpace or lifecycle settings. */
const transferOptions = ["server_url", "s3_endpoint", "api_key_file", "destination_project_name", "destination_project_id"];
const maxConcurrency = 64;

function concurrency(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > maxConcurrency) {
    throw new InvalidArgumentError(`expected a whole number from 1 to ${maxConcurrency}`);
  }
  return Number(value);
}

/** The closing line: what was fetched, kept and failed. */
function summaryLine(results: readonly FileResult[], dest: string, elapsedMs: number): string {
  const count = (status: string) => results.filter((result) => result.outcome.status === status).length;
  const fetched = results.reduce((sum, result) => sum + ("fetchedBytes" in result.outcome ? result.outcome.fetchedBytes : 0), 0);
  const files = `${results.length} file${results.length === 1 ? "" : "s"}`;
  if (count("present") === results.length) return `all ${files} already present and verified in ${dest}; nothing downloaded`;
  const seconds = elapsedMs / 1000;
  return (
    `${files} in ${dest}: ${count("verified")} downloaded and verified, ${count("present")} already present, ` +
    `${count("failed")} failed; ${humanBytes(fetched)} fetched in ${seconds.toFixed(1)} s (${humanBytes(fetched / Math.max(seconds, 0.001))}/s)`
  );
}

/**
 * `download <manifest> --dest DIR`: for the people who receive data. Every file the manifest lists
 * is streamed with the AWS SDK in ranged parts, on ICA's read-only temporary credentials for it,
 * resumed after a kill, verified against ICA's size and checksum. Needs only an ICA key with access to the destination project.
 */
export function downloadCommand(scope: CommandScope): Command {
  const command = new Command("download")
    .argument("<manifest>", "a download_manifest.csv: a local file, or its path, name or data id in the destination project")
    .requiredOption("--dest <dir>", "folder the files are saved in (created if missing)")
    .option("--concurrency <n>", `ranged GETs in flight at once, over all files (1-${maxConcurrency})`, concurrency, 4)
    .summary("download and verify the files a delivery manifest lists (for recipients)")
    .description(
      "Downloads every file of a download manifest into --dest: parts in parallel, a killed download continues " +
        "where it stopped, expired credentials are renewed, and each file is verified against the size and " +
        "checksum ICA gives (the S3 multipart ETag, or the MD5). Files already there and verified are kept, so a " +
        "second run downloads nothing. Needs only an ICA API key with access to the destination project. Exit " +
        "status: 0 every file verified, 1 some file failed (run again to retry), 2 bad input.",
    );
  addCycleOptions(command, { only: transferOptions });
  withExamples(command, [
    ["a manifest you were sent, key from the icav2 CLI", "ica-orchestrator download RUN42.download_manifest.csv --dest ./RUN42"],
    ["straight from the delivery project", "ica-orchestrator download RUN42.download_manifest.csv --destination_project_name MGI_Delivery --dest ./RUN42"],
  ]);
  return command.action(async (manifest: string, own: { dest: string; concurrency: number }) => {
    favourSpeedOverMemory();
    const { context } = scope;
    const dest = resolve(context.cwd, own.dest);
    const local = await readLocalManifest(context.cwd, manifest);
    const localRows = local === undefined ? undefined : parseManifest(local, manifest);
    const settings = await loadTransferSettings({ flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd });
    scope.redactor.add(settings.apiKey);
    const ica = new IcaClient({ serverUrl: settings.icaBaseUrl, apiKey: settings.apiKey });
    let rows = localRows;
    if (rows === undefined) {
      const remote = await readIcaManifest(ica, settings.destination, manifest);
      rows = parseManifest(remote.text, remote.source);
    }

    const progress = new DownloadProgress(context.stdout, context.stderr);
    const controller = new AbortController();
    const stopListening = context.onShutdown((signal) => controller.abort(new Error(`${signal} received`)));
    const started = Date.now();
    try {
      // Loaded here, not at start-up: it brings the AWS SDK, which no other command needs (data-transfer/download/index.ts).
      const { downloadManifest } = await import("../../modules/data-transfer/download/download-manifest.js");
      const results = await downloadManifest({
        ica,
        rows,
        dest,
        concurrency: own.concurrency,
        s3Endpoint: settings.s3Endpoint,
        signal: controller.signal,
        onStart: (total, files) => progress.start(total, files),
        onBytes: (bytes) => progress.add(bytes),
        onFile: (result) => progress.file(result),
      });
      progress.end();
      context.stdout.write(`${summaryLine(results, dest, Date.now() - started)}\n`);
      scope.setExitCode(results.every((result) => result.outcome.status !== "failed") ? exitCodes.ok : exitCodes.failures);
    } catch (error) {
      progress.end();
      if (!controller.signal.aborted) throw error;
      context.stderr.write(`ica-orchestrator: ${(controller.signal.reason as Error).message}: stopped; the parts written are kept, run the same command again to continue\n`);
      scope.setExitCode(exitCodes.failures);
    } finally {
      stopListening();
    }
  });
}
