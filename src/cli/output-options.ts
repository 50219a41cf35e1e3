import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { parseTimestamp } from "../orchestrator/index.js";

const outputFormats = ["table", "json"] as const;

/** How `plan`, `run` and `status` print what they found. */
export interface OutputChoice {
  format: (typeof outputFormats)[number];
  /** Tables: every item, not the first few of each action. */
  verbose: boolean;
  /** `--report FILE`: the JSON document written there too. */
  reportFile?: string;
  /** `plan --as-of`: the instant the plan is computed for. */
  asOf?: Date;
}

export interface OutputOptionsChoice {
  /** `--verbose` and `--report` (plan and run); status has only `--output`. */
  cycles?: boolean;
  asOf?: boolean;
}

/** Declares `-o/--output`, and for cycles `--verbose`, `--report` and (plan) `--as-of`. */
export function addOutputOptions(command: Command, choice: OutputOptionsChoice = {}): Command {
  command.addOption(new Option("-o, --output <format>", "table, or json (the versioned shape of docs/json-output.md)").choices(outputFormats).default("table"));
  if (choice.cycles) {
    command.option("--verbose", "list every item of the plan, not the first few of each action");
    command.option("--report <file>", "also write the JSON document (plan or report) to this file; a dry run writes nothing else");
  }
  if (choice.asOf) {
    command.option("--as-of <date>", "plan as if it were this date (ISO-8601, e.g. 2026-12-31): what goes by then; changes nothing", parseAsOf);
  }
  return command;
}

function parseAsOf(value: string): Date {
  try {
    return parseTimestamp(value);
  } catch {
    throw new InvalidArgumentError("expected an ISO-8601 date or instant such as 2026-12-31 or 2026-12-31T08:00:00Z");
  }
}

export function outputChoice(command: Command): OutputChoice {
  const opts = command.opts<{ output: OutputChoice["format"]; verbose?: boolean; report?: string; asOf?: Date }>();
  return {
    format: opts.output,
    verbose: opts.verbose === true,
    ...(opts.report !== undefined ? { reportFile: opts.report } : {}),
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
  };
}

/** `--report FILE`, relative to the working directory. */
export async function writeReportFile(cwd: string, file: string, text: string): Promise<void> {
  await writeFile(resolve(cwd, file), text);
}
