import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface OwnManifest {
  name: "ica-orchestrator";
  version?: string;
  engines?: { node?: string };
}

/**
 * This package's package.json, the nearest one above `from` that is ours: the source tree and the built
 * dist/src sit at different depths, so the path cannot be fixed.
 */
export function ownManifest(from: string = import.meta.dirname): OwnManifest | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (manifest.name === "ica-orchestrator") return manifest as OwnManifest;
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** This package's version. */
export function packageVersion(from: string = import.meta.dirname): string {
  return ownManifest(from)?.version ?? "unknown";
}
