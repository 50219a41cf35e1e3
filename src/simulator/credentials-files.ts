import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface CredentialsFiles {
  /** `ica_api_key.txt`: the ICA API key alone, as the original tool's `--api_key_file` expects. */
  apiKeyFile: string;
  /** `default.cfg` in the `bs` CLI format (`~/.basespace/default.cfg`). */
  basespaceConfigFile: string;
}

/**
 * Writes the simulator's secrets where a client finds them the way it finds real ones. Both files are
 * 0600 like the ones `bs auth` writes; chmod runs after the write because writeFile's mode only
 * applies when it creates the file.
 */
export async function writeCredentialsFiles(
  dir: string,
  secrets: { apiKey: string; basespaceUrl: string; basespaceToken: string },
): Promise<CredentialsFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const apiKeyFile = join(dir, "ica_api_key.txt");
  const basespaceConfigFile = join(dir, "default.cfg");
  await writeSecretFile(apiKeyFile, `${secrets.apiKey}\n`);
  await writeSecretFile(
    basespaceConfigFile,
    `apiServer   = ${secrets.basespaceUrl}\naccessToken = ${secrets.basespaceToken}\n`,
  );
  return { apiKeyFile, basespaceConfigFile };
}

async function writeSecretFile(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
