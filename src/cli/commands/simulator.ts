import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../../config/index.js";
import { AssumptionSwitchError, parseAssumeOption } from "../../simulator/assumption-switches.js";
import { fixtureNames } from "../../simulator/fixtures/presets.js";
import { startSimulator } from "../../simulator/server.js";
import type { CliContext } from "../cli-context.js";
import type { CommandScope } from "../command-scope.js";
import { exitCodes } from "../errors.js";

interface SimulatorFlags {
  fixture: string;
  port: number;
  s3Port: number;
  sqsPort: number;
  latencyMs: number;
  credentialsDir?: string;
  seed?: number;
  debug: boolean;
  assume: string[];
  fileBytesCap?: number;
}

export function simulatorCommand(scope: CommandScope): Command {
  return new Command("simulator")
    .summary("run the ICA, BaseSpace and S3 simulator")
    .description(
      "Serves simulated ICA and BaseSpace on one port (control plane under /__sim), S3 on another and SQS (where\n" +
        "ICA delivers the events of SQS channels) on a third, until SIGTERM or SIGINT. Once listening it prints\n" +
        'exactly one JSON line: {"icaUrl":…,"basespaceUrl":…,"s3Url":…,"sqsUrl":…,"apiKeyFile":…,"basespaceConfigFile":…}',
    )
    .requiredOption("--fixture <name|path.json>", `${fixtureNames.join(", ")}, or a fixture .json file`)
    .option("--port <n>", "port for ICA, BaseSpace and /__sim (0: any free port)", integerFrom(0, 65_535), 0)
    .option("--s3-port <n>", "port for S3 (0: any free port)", integerFrom(0, 65_535), 0)
    .option("--sqs-port <n>", "port for SQS (0: any free port)", integerFrom(0, 65_535), 0)
    .option("--latency-ms <n>", "real milliseconds added to every response", integerFrom(0), 0)
    .option(
      "--credentials-dir <dir>",
      "where to write ica_api_key.txt and default.cfg (default: a temp dir, removed on exit)",
    )
    .option(
      "--seed <n>",
      "seed for generated ids and faults, and to vary a preset (default: the preset's own)",
      integerFrom(0),
    )
    .option(
      "--file-bytes-cap <n>",
      "list and serve every ICA file at no more than n bytes (small downloads for tests and demos)",
      integerFrom(0),
    )
    .option("--debug", "print handler errors to stderr", false)
    .option(
      "--assume <id=alternative>",
      "play another reading of an unconfirmed behaviour (repeatable; GET /__sim/assumptions lists them)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addHelpText(
      "after",
      "\nExample:\n" +
        "  $ ica-orchestrator simulator --fixture demo --port 8080 --credentials-dir ./sim\n" +
        '  {"icaUrl":"http://127.0.0.1:8080","basespaceUrl":"http://127.0.0.1:8080","s3Url":"http://127.0.0.1:41234",…}\n' +
        '  $ curl -H "X-API-Key: $(cat ./sim/ica_api_key.txt)" http://127.0.0.1:8080/ica/rest/api/projects\n',
    )
    .action(async (flags: SimulatorFlags) => {
      await runSimulator(scope.context, flags);
      scope.setExitCode(exitCodes.ok);
    });
}

async function runSimulator(context: CliContext, flags: SimulatorFlags): Promise<void> {
  // Listen for the signal from the start: stopped during startup, we still close cleanly and remove the temp dir.
  const stop = awaitShutdown(context);
  let tempDir: string | undefined;
  try {
    const assume = assumeOption(flags.assume);
    if (flags.credentialsDir === undefined) tempDir = await mkdtemp(join(tmpdir(), "ica-orchestrator-sim-"));
    const sim = await startSimulator({
      fixture: flags.fixture,
      port: flags.port,
      s3Port: flags.s3Port,
      sqsPort: flags.sqsPort,
      latencyMs: flags.latencyMs,
      credentialsDir: flags.credentialsDir ?? tempDir,
      seed: flags.seed,
      debug: flags.debug,
      assume,
      fileBytesCap: flags.fileBytesCap,
    }).catch(asConfigError);
    const { icaUrl, basespaceUrl, s3Url, sqsUrl, apiKeyFile, basespaceConfigFile } = sim;
    context.stdout.write(`${JSON.stringify({ icaUrl, basespaceUrl, s3Url, sqsUrl, apiKeyFile, basespaceConfigFile })}\n`);
    await stop.received;
    await sim.stop();
  } finally {
    stop.dispose();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

function assumeOption(entries: readonly string[]): ReturnType<typeof parseAssumeOption> {
  try {
    return parseAssumeOption(entries);
  } catch (error) {
    if (error instanceof AssumptionSwitchError) throw new ConfigError(error.message);
    throw error;
  }
}

/** A port in use is the command line's fault (exit 2); a bad fixture is mapped in errors.ts. */
function asConfigError(error: unknown): never {
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  if (code === "EADDRINUSE" || code === "EACCES") {
    throw new ConfigError(
      `cannot listen on port ${port} (${code}): pick another with --port / --s3-port / --sqs-port, or 0 for any free port`,
    );
  }
  throw error;
}

function awaitShutdown(context: CliContext): { received: Promise<string>; dispose(): void } {
  let dispose: () => void = () => {};
  const received = new Promise<string>((resolve) => {
    dispose = context.onShutdown(resolve);
  });
  return { received, dispose };
}

function integerFrom(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}
