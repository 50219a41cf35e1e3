import type { SecretRedactor } from "../logging/index.js";
import type { CliContext } from "./cli-context.js";
import type { ExitCode } from "./errors.js";

/** What every command's action gets: the process view, the invocation's redactor, where its exit code goes. */
export interface CommandScope {
  context: CliContext;
  /** One per invocation: settings secrets and the cycle's temporary credentials are added to it. */
  redactor: SecretRedactor;
  setExitCode(code: ExitCode): void;
}
