import type { Command } from "commander";

/** Adds an "Examples:" block to the command's --help: one `$ command` line per example, with an optional comment. */
export function withExamples(command: Command, examples: ReadonlyArray<readonly [comment: string, commandLine: string]>): Command {
  const lines = examples.flatMap(([comment, commandLine]) => [`  # ${comment}`, `  $ ${commandLine}`]);
  return command.addHelpText("after", `\nExamples:\n${lines.join("\n")}\n`);
}
