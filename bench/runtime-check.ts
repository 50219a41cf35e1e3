import semver from "semver";
import { ownManifest } from "../src/cli/version.js";

/**
 * Why this Node cannot measure the tool, or undefined when it can. Figures taken on a Node the tool does
 * not run on are not the tool's: V8's heap defaults differ by major (lab-year's first cycle peaked at
 * 219 MB on Node 20 and 346 MB on Node 24 with the same code, before the bin's memory flags).
 */
export function nodeProblem(version = process.version, from: string = import.meta.dirname): string | undefined {
  const engines = ownManifest(from)?.engines?.node;
  if (engines === undefined) return `bench: no engines.node in the package.json above ${from}; the bench runs from this repository`;
  if (semver.satisfies(version, engines)) return undefined;
  return `bench: Node ${version} is outside the tool's engines (${engines}); run it on the Node the Docker image ships, e.g. npm install --prefix /tmp/node24 node@24 and put /tmp/node24/node_modules/.bin first on PATH`;
}
