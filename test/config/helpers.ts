import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadSettings, type LoadSettingsInput } from "../../src/config/load-settings.js";
import type { Environment } from "../../src/config/environment.js";
import type { FlagInput } from "../../src/config/flags.js";

/** A throw-away home directory and working directory for one test. */
export interface ConfigSandbox {
  root: string;
  home: string;
  cwd: string;
  /** Writes a file (relative to root) with mode 0600 unless told otherwise; returns its path. */
  file(relative: string, content: string, mode?: number): Promise<string>;
  load(flags?: FlagInput, env?: Environment): ReturnType<typeof loadSettings>;
  input(flags?: FlagInput, env?: Environment): LoadSettingsInput;
  cleanup(): Promise<void>;
}

export async function configSandbox(): Promise<ConfigSandbox> {
  const root = await mkdtemp(join(tmpdir(), "ica-orch-config-"));
  const home = join(root, "home");
  const cwd = join(root, "work");
  await mkdir(home);
  await mkdir(cwd);
  const input = (flags: FlagInput = {}, env: Environment = {}): LoadSettingsInput => ({ flags, env, homeDir: home, cwd });
  return {
    root,
    home,
    cwd,
    async file(relative, content, mode = 0o600) {
      const path = join(root, relative);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      await chmod(path, mode);
      return path;
    },
    input,
    load: (flags, env) => loadSettings(input(flags, env)),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** The minimum a cycle needs besides the API key. */
export const projects = { source_project_name: "BSSH_Runs", destination_project_name: "MGI_Delivery" } as const;
