import { describe, expect, it } from "vitest";
import { Command } from "commander";
import { addCycleOptions, cycleFlags } from "../../src/cli/cycle-options.js";
import { loadSettings, settingFlags } from "../../src/config/index.js";

function parsed(argv: string[], omit?: string[]): Command {
  const command = addCycleOptions(new Command("run").exitOverride().option("--schedule <cron>"), { omit });
  command.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  return command.parse(argv, { from: "user" });
}

describe("cli cycle options", () => {
  it("declares every setting flag in snake_case and kebab-case, plus --config", () => {
    const command = addCycleOptions(new Command("run"));
    const longs = command.options.map((option) => option.long);
    for (const { flag } of settingFlags) {
      expect(longs).toContain(`--${flag}`);
      expect(longs).toContain(`--${flag.replace(/_/g, "-")}`);
    }
    expect(longs).toContain("--config");
  });

  it("lists the original tool's spellings in help, not the kebab-case twins", () => {
    const help = addCycleOptions(new Command("run")).helpInformation();
    expect(help).toContain("--api_key_file <file>");
    expect(help).toContain("--dry_run");
    expect(help).not.toContain("--api-key-file");
  });

  it("gives no defaults, so the environment and the config file are not overridden", () => {
    expect(cycleFlags(parsed([]))).toEqual({});
  });

  it("hands both spellings and repeated options to the config layer, without the command's own options", () => {
    const flags = cycleFlags(
      parsed(["--days_to_delete", "120", "--dry-run", "--protect", "fil.1", "--protect", "*_KEEP*", "--schedule", "* * * * *"]),
    );
    expect(flags).toEqual({ days_to_delete: "120", dryRun: true, protect: ["fil.1", "*_KEEP*"] });
  });

  it("lets the config layer refuse one option given in both spellings", async () => {
    const flags = cycleFlags(parsed(["--days_to_delete", "120", "--days-to-delete", "90", "--source_project_id", "a", "--destination_project_id", "b"]));
    await expect(loadSettings({ flags, env: { ICA_API_KEY: "key1" }, homeDir: "/nonexistent", cwd: "/" })).rejects.toThrow(
      /option --days_to_delete is given twice/,
    );
  });

  it("omits options a command fixes itself", () => {
    expect(() => parsed(["--dry_run"], ["dry_run"])).toThrow(/unknown option '--dry_run'/);
  });
});
