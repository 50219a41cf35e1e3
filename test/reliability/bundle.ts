// Bundles a TypeScript entry point (and everything it imports, dependencies included) into one ES
// module with esbuild, from src/ as it is now — unlike a dist/ that may be stale. A bundle starts in
// a fraction of the time tsx needs to compile hundreds of modules, which is what lets the kill and
// bad-input tests start dozens of CLI processes, and the safety properties use a worker per core,
// within the suite's time budget.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

export interface Bundle {
  script: string;
  remove(): Promise<void>;
}

export async function bundleModule(entry: string): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), "reliability-bundle-"));
  const script = join(dir, "bundle.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: script,
    logLevel: "error",
    // CommonJS dependencies bundled into an ES module still use require(), __filename and __dirname.
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        "import { dirname as __pathDirname } from 'node:path';",
        "const require = __createRequire(import.meta.url);",
        "const __filename = __fileURLToPath(import.meta.url);",
        "const __dirname = __pathDirname(__filename);",
      ].join(" "),
    },
  });
  return { script, remove: () => rm(dir, { recursive: true, force: true }) };
}
