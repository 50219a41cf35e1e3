import { SecretRedactor } from "../logging/index.js";
import { processContext, type CliContext } from "./cli-context.js";
import { errorOutcome, exitCodes, type ExitCode } from "./errors.js";
import { createProgram } from "./program.js";

/** Runs one command line (without `node` and the script) and resolves to its exit code; never throws. */
export async function runCli(argv: readonly string[], context: CliContext = processContext()): Promise<ExitCode> {
  const redactor = new SecretRedactor();
  let code: ExitCode = exitCodes.ok;
  const program = createProgram({ context, redactor, setExitCode: (value) => (code = value) });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    const outcome = errorOutcome(error);
    if (outcome.message !== undefined) context.stderr.write(`ica-orchestrator: ${redactor.redact(outcome.message)}\n`);
    return outcome.code;
  }
}
