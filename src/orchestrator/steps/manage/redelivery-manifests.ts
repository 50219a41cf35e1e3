import type { CycleContext } from "../../cycle-context.js";
import { icaManifestPath } from "../../plan/manifest.js";
import { nextManifestNumber } from "../../plan/redelivery.js";
import type { Candidate } from "./candidates.js";

/**
 * Names the manifest of each redelivery the journal has no name for yet: after the run's first
 * delivered analysis (`runDeliveredAs`, else its own run id), numbered past the manifests of that
 * name the destination holds now (one listing per redelivery, filtered by name: redeliveries are
 * few), so a redelivery never replaces a manifest the recipient has.
 */
export async function nameRedeliveryManifests(
  ctx: CycleContext,
  destinationId: string,
  candidates: readonly Candidate[],
  runDeliveredAs: ReadonlyMap<string, string>,
): Promise<void> {
  // Asked for while its first delivery was under way: that delivery's manifest (the original name) stands.
  const unnamed = candidates.filter(
    (c) => c.redelivery && ctx.journal.data.redeliveries[c.analysis.id]?.manifest === undefined && !ctx.journal.data.managing[c.analysis.id]?.manifest,
  );
  await Promise.all(
    unnamed.map(async (c) => {
      const runId = runDeliveredAs.get(c.analysis.id) ?? c.analysis.reference;
      const stem = icaManifestPath(runId).replace(/download_manifest\.csv$/, "");
      const names: string[] = [];
      for await (const file of ctx.ica.listData(destinationId, { filePath: [stem], type: "FILE" })) names.push(file.name);
      c.manifestName = { runId, redelivery: nextManifestNumber(runId, names) };
    }),
  );
}
