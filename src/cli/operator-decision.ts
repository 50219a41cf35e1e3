import { ConfigError } from "../config/index.js";
import { acquireStateLock, LockHeldError, type StateLock } from "../state/index.js";

const analysisIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An operator command names an analysis by its ICA id: a run name or a typo is refused before anything is read or written. */
export function assertAnalysisId(command: string, analysisId: string): void {
  if (!analysisIdPattern.test(analysisId)) {
    throw new ConfigError(`${command}: "${analysisId}" is not an ICA analysis id (a UUID); copy it from ica-orchestrator status or plan`);
  }
}

/**
 * The state lock for an operator's decision, so a running cycle is never raced; while a cycle holds
 * it the command changes nothing and says to try again (exit 2: the request was not recorded).
 */
export function operatorLock(command: string, stateDir: string): Promise<StateLock> {
  return acquireStateLock(stateDir).catch((error: unknown) => {
    if (error instanceof LockHeldError) throw new ConfigError(`${command}: a cycle holds the state lock of ${stateDir}; run ${command} again once it has finished`);
    throw error;
  });
}
