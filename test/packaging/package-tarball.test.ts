import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { access, cp, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  bundleDependencies: unknown;
};
const built = await access(join(root, "dist/src/cli/main.js")).then(
  () => true,
  () => false,
);

interface PackResult {
  files: Array<{ path: string }>;
  bundled: string[];
}

/**
 * `npm pack --dry-run` of a copy of the repository whose node_modules holds only the direct
 * dependencies' package.json: npm picks the project's files and the dependencies to bundle as it does
 * in the repository, without walking the ten thousand files of the bundled packages (25 s of CPU).
 */
async function packCopy(): Promise<PackResult | undefined> {
  const copy = await mkdtemp(join(tmpdir(), "pack-"));
  try {
    const skipped = new Set([join(root, "node_modules"), join(root, ".git")]);
    await cp(root, copy, { recursive: true, filter: (source) => !skipped.has(source) });
    for (const name of Object.keys(manifest.dependencies)) {
      await mkdir(join(copy, "node_modules", name), { recursive: true });
      await cp(join(root, "node_modules", name, "package.json"), join(copy, "node_modules", name, "package.json"));
    }
    // --ignore-scripts: prepack would rebuild dist/, which .ci/run has built already.
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: copy, maxBuffer: 64 * 1024 * 1024 });
    return (JSON.parse(stdout) as PackResult[])[0];
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

describe("the npm tarball (npm pack)", () => {
  it(
    "holds the wrappers, the docs, the example config and every dependency, so it installs offline",
    async () => {
      const pack = await packCopy();
      const paths = new Set(pack?.files.map((file) => file.path));
      const expected = [
        "README.md",
        "analyses_managed_table.example.txt",
        "examples/config.example.json",
        ...(await readdir(join(root, "docs"))).map((name) => `docs/${name}`),
        ...(await readdir(join(root, "wrappers"), { recursive: true, withFileTypes: true }))
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1)),
        // The command itself, when dist/ is built (npm pack builds it first: prepack).
        ...(built ? Object.values(manifest.bin) : []),
      ];
      expect(expected.filter((path) => !paths.has(path))).toEqual([]);
      expect([...paths].filter((path) => path.startsWith("test/") || path.startsWith("src/"))).toEqual([]);
      // bundleDependencies: `npm install -g ./ica-orchestrator-<version>.tgz` needs no registry. `npm install <pkg>`
      // rewrites `true` into the list of the day, which leaves the next dependency out.
      const missing = Object.keys(manifest.dependencies).filter((name) => !pack?.bundled.includes(name));
      expect(missing, 'not bundled: set "bundleDependencies": true in package.json again').toEqual([]);
      expect(manifest.bundleDependencies).toBe(true);
    },
    120_000,
  );
});
