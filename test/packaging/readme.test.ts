import { describe, expect, it } from "vitest";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { environmentVariables, loadSettings } from "../../src/config/index.js";
import { parseWithCli, shellWords } from "./command-lines.js";
import { settingsTable, tableEnd, tableStart } from "./settings-table.js";

const root = join(import.meta.dirname, "../..");
const readmePath = join(root, "README.md");
const readme = await readFile(readmePath, "utf8");

/** The lines of the README's ```sh blocks. */
function shellLines(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => (block[1] ?? "").split("\n").filter((line) => line.trim() !== ""));
}

/** What a README line hands to ica-orchestrator: directly, through docker run, or through a wrapper. */
function cliArgs(line: string): string[][] {
  return line.split("&&").flatMap((part) => {
    const words = shellWords(part.trim());
    if (words[0] === "ica-orchestrator") return [words.slice(1)];
    if (words[0] === "docker" && words[1] === "run") return [words.slice(words.lastIndexOf("ica-orchestrator") + 1)];
    const wrapper = words.findIndex((word) => /(?:cron-wrapper|ica-bench)\.sh$/.test(word));
    if (wrapper >= 0) return [[...(words[wrapper]?.endsWith("cron-wrapper.sh") ? ["run"] : []), ...words.slice(wrapper + 1)]];
    return [];
  });
}

describe("README", () => {
  it("has the configuration table generated from the code's options and variables", async () => {
    const start = readme.indexOf(tableStart);
    const end = readme.indexOf(tableEnd);
    expect(start, "the table's start marker").toBeGreaterThan(0);
    expect(end, "the table's end marker").toBeGreaterThan(start);
    const current = readme.slice(start + tableStart.length + 1, end);
    if (process.env.UPDATE_README) {
      await writeFile(readmePath, `${readme.slice(0, start + tableStart.length)}\n${settingsTable()}${readme.slice(end)}`);
      return;
    }
    expect(current, "README table drifted from the code: UPDATE_README=1 npx vitest run test/packaging/readme.test.ts").toBe(settingsTable());
  });

  it("names every environment variable the tool reads", () => {
    for (const name of Object.values(environmentVariables)) expect(readme).toContain(`\`${name}\``);
  });

  it("gives the two commands that show it working and run the tests, which .ci/run runs", async () => {
    const lines = shellLines(readme);
    expect(lines).toContain("npm ci && npm run demo");
    expect(lines).toContain("npm test");
    const ci = await readFile(join(root, ".ci/run"), "utf8");
    for (const command of ["npm ci", "npm test", "npm run demo", "shellcheck wrappers/*.sh"]) expect(ci).toContain(command);
  });

  it("shows only ica-orchestrator command lines the CLI accepts", async () => {
    const commandLines = shellLines(readme).flatMap(cliArgs);
    expect(commandLines.length).toBeGreaterThanOrEqual(8);
    const commands = new Set<string>();
    for (const argv of commandLines) commands.add(await parseWithCli(argv));
    expect([...commands].sort()).toEqual(["doctor", "download", "health", "plan", "run", "simulator", "watch"]);
  });

  it("shows a config file the config layer accepts", async () => {
    const [json] = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    const dir = await mkdtemp(join(tmpdir(), "ica-orch-readme-"));
    try {
      await writeFile(join(dir, "lab.json"), json ?? "");
      const { settings } = await loadSettings({ flags: { config: "lab.json" }, env: { ICA_API_KEY: "key-from-env" }, homeDir: dir, cwd: dir });
      expect(settings.map((s) => [s.source, s.destination, s.daysToDelete])).toEqual([
        [{ name: "BSSH_Runs" }, { name: "MGI_Delivery" }, 120],
        [{ id: "0c4c5d1e-…" }, { name: "Collaborator_Delivery" }, 120],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("links only to files that exist", async () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)].map((m) => m[1] ?? "");
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) await expect(access(join(dirname(readmePath), link)), link).resolves.toBeUndefined();
  });
});
