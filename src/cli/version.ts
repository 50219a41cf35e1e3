import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * This package's version, from the nearest package.json above this module: the source tree and the
 * built dist/src sit at different depths, so the path cannot be fixed.
 */
export function packageVersion(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "ica-orchestrator" && manifest.version) return manifest.version;
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(dir) === dir) return "unknown";
  }
}
