import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { access, readdir, readFile } from "node:fs/promises";
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

describe("the npm tarball (npm pack)", () => {
  it(
    "holds the wrappers, the docs, the example config and every dependency, so it installs offline",
    async () => {
      // --ignore-scripts: prepack would rebuild dist/, which .ci/run has built already.
      const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
      const [pack] = JSON.parse(stdout) as PackResult[];
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
