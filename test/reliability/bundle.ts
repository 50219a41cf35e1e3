// Bundles a TypeScript entry point (and everything it imports, dependencies included) into one ES
// module with esbuild, from src/ as it is now — unlike a dist/ that may be stale. A bundle starts in
// a fraction of the time tsx needs to compile hundreds of modules (about 0.4 s of CPU against 2.5 s
// for the CLI), which is what lets the tests start dozens of CLI processes, and the safety properties
// use a worker per core, within the suite's time budget.
//
// Each entry is bundled once per `vitest run`: into the directory the global setup provides
// (test/global-setup.ts), shared by every test file and worker, and removed when the run ends.
import { existsSync } from "node:fs";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { inject } from "vitest";

const repository = fileURLToPath(new URL("../..", import.meta.url));

/** Bundles being built by this process, so concurrent callers wait for one build. */
const building = new Map<string, Promise<string>>();

/** The path of `entry` (a .ts file in this repository) bundled as an ES module for Node. */
export function bundleModule(entry: string): Promise<string> {
  const script = join(bundleDir(), `${relative(repository, entry).replace(/[/\\]/g, "+").replace(/\.ts$/, "")}.mjs`);
  let bundle = building.get(script);
  if (!bundle) {
    bundle = existsSync(script) ? Promise.resolve(script) : buildInto(entry, script);
    building.set(script, bundle);
  }
  return bundle;
}

function bundleDir(): string {
  const dir = inject("bundleDir");
  if (!dir) throw new Error("no bundle directory: run the tests with vitest and vitest.config.ts, whose global setup provides it");
  return dir;
}

async function buildInto(entry: string, script: string): Promise<string> {
  // Another worker may build the same entry at the same time: each writes its own file, then renames it into place.
  const staging = await mkdtemp(join(tmpdir(), `bundle-${basename(entry, ".ts")}-`));
  const staged = join(staging, "bundle.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: staged,
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
  await rename(staged, script);
  await rm(staging, { recursive: true, force: true });
  return script;
}
