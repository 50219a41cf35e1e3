import { pairLabel, type Settings } from "../config/index.js";
import { IcaClient } from "../ica/client.js";
import { newlyEnded, type ListingFacts } from "../modules/monitor/index.js";
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
  const clients = new WeakMap<Settings, IcaClient>();
  const handed = new WeakMap<ListingFacts, Set<string>>();
  const clientOf = (settings: Settings): IcaClient => {
    const client =
      clients.get(settings) ??
      new IcaClient({ serverUrl: settings.icaBaseUrl, apiKey: settings.apiKey, timeoutMs: settings.requestTimeoutMs, concurrency: 1, retry: { maxRetries: 0 } });
    clients.set(settings, client);
    return client;
  };
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
