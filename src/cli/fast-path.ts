import type { Logger } from "winston";
import { pairLabel, type Settings } from "../config/index.js";
import { IcaClient } from "../ica/client.js";
import { createEventSource } from "../modules/monitor/events/index.js";
import { newlyEnded, type ListingFacts, type TriggerSource } from "../modules/monitor/index.js";
import type { WatchMemory } from "./run-cycles.js";

/**
 * How many of the latest SUCCEEDED analyses one poll reads. More than this ending between two polls
 * still triggers a delivery (the delivery cycle lists everything), so a small page keeps the idle
 * poll's answer small.
 */
const pollPageSize = 20;

/**
 * The poll's look at every pair whose last listing `watch` remembers: one `analysis:search` call per
 * pair (SUCCEEDED only, newest end first), compared with that listing — no resolve, the listing's
 * project id is reused. Not retried: the next poll is the retry. Ids handed to a delivery cycle are not
 * handed again until the pair is listed again, so a delivery that fails waits for the full cycle
 * instead of repeating every poll.
 */
export function pollLook(memory: WatchMemory): () => Promise<string[]> {
  const clientOf = fastPathClients();
  const handed = new WeakMap<ListingFacts, Set<string>>();
  return async () => {
    const found: string[] = [];
    for (const settings of memory.lastLoaded) {
      const facts = memory.listings.get(pairLabel(settings));
      if (!facts) continue;
      const latest = await clientOf(settings).latestSucceededAnalyses(facts.sourceProjectId, pollPageSize);
      const skip = handed.get(facts) ?? new Set<string>();
      handed.set(facts, skip);
      const ids = newlyEnded(latest, facts, settings.bclConvertPattern, skip);
      ids.forEach((id) => skip.add(id));
      found.push(...ids);
    }
    return found;
  };
}

/**
 * The ICA clients of the fast path, one per loaded settings (a reload with a rotated key gets a new
 * one): one call at a time and no retries, because the next poll (or the next event-log read) is the retry.
 */
function fastPathClients(): (settings: Settings) => IcaClient {
  const clients = new WeakMap<Settings, IcaClient>();
  return (settings) => {
    const client =
      clients.get(settings) ??
      new IcaClient({ serverUrl: settings.icaBaseUrl, apiKey: settings.apiKey, timeoutMs: settings.requestTimeoutMs, concurrency: 1, retry: { maxRetries: 0 } });
    clients.set(settings, client);
    return client;
  };
}

/**
 * The `--events` source of `watch` (the HTTP receiver or the SQS consumer), from the settings the first
 * cycle loaded: like poll_seconds and state_dir a watch-wide setting, the first pair's, read once. Its event-log
 * reads go through the settings that last loaded, so a rotated key reaches them too. Undefined
 * without `events`.
 */
export async function eventSourceOf(memory: WatchMemory, logger: Logger): Promise<TriggerSource | undefined> {
  const first = memory.lastLoaded[0];
  if (first?.events === undefined) return undefined;
  const clientOf = fastPathClients();
  return createEventSource(first.events, {
    ica: { searchEventLog: (query) => clientOf(memory.lastLoaded[0] ?? first).searchEventLog(query) },
    stateDir: first.stateDir,
    warn: (message) => logger.warn(`events: ${message}`),
    ...(first.sqsEndpoint !== undefined ? { sqs: { endpoint: first.sqsEndpoint } } : {}),
  });
}
