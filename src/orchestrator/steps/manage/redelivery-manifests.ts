import type { CycleContext } from "../../cycle-context.js";
import { icaManifestPath } from "../../plan/manifest.js";
import { nextManifestNumber } from "../../plan/redelivery.js";
import type { Candidate } from "./candidates.js";

/**
 * Chooses the manifest number of each redelivery that has none in the journal yet, from the manifests
 * of its run the destination holds now (one listing per run, filtered by name: redeliveries are few),
 * so a redelivery never replaces a manifest the recipient has.
 */
export async function numberRedeliveryManifests(ctx: CycleContext, destinationId: string, candidates: readonly Candidate[]): Promise<void> {
  const unnumbered = candidates.filter((c) => c.redelivery && ctx.journal.data.redeliveries[c.analysis.id]?.manifestNumber === undefined);
  await Promise.all(
    unnumbered.map(async (c) => {
      const stem = icaManifestPath(c.analysis.reference).replace(/\.download_manifest\.csv$/, ".");
      const names: string[] = [];
      for await (const file of ctx.ica.listData(destinationId, { filePath: [stem], type: "FILE" })) names.push(file.name);
      c.manifestNumber = nextManifestNumber(c.analysis.reference, names);
    }),
  );
}
