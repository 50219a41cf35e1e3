import {
  basespaceConfigPath,
  icav2ConfigPath,
  readBasespaceConfig,
  readBasespaceTokenFile,
  readIcav2Config,
  readIfPresent,
} from "./illumina-cli-files.js";
import type { Layer, LayerEntry, LoadContext } from "./layers.js";
import { readApiKeyFile } from "./secret-files.js";
import type { SettingKey, settingRecords } from "./setting-records.js";

/** Reads a file once per load, reports its warnings, and hands one field of it to an entry. */
function fileField<T extends { warnings: string[] }>(
  context: LoadContext,
  key: string,
  read: () => Promise<T | undefined>,
  pick: (contents: T) => unknown,
): () => Promise<unknown> {
  return async () => {
    const contents = await context.once(key, read);
    if (contents === undefined) return undefined;
    contents.warnings.forEach((warning) => context.warn(warning));
    return pick(contents);
  };
}

function apiKeyFileEntry(path: string, source: string, context: LoadContext): LayerEntry {
  return { source, load: fileField(context, `api-key:${path}`, () => readApiKeyFile(path), (c) => c.apiKey) };
}

/** An explicit token file (flag, config file): the token must be there; its apiServer is used if present. */
function basespaceTokenFileEntries(path: string, source: string, context: LoadContext): Layer {
  const read = (): ReturnType<typeof readBasespaceTokenFile> => readBasespaceTokenFile(path);
  return {
    basespaceAccessToken: { source, load: fileField(context, `bs-token:${path}`, read, (c) => c.accessToken) },
    basespaceApiServer: { source, load: fileField(context, `bs-token:${path}`, read, (c) => c.apiServer) },
  };
}

type FileSetting = { [K in SettingKey]: (typeof settingRecords)[K] extends { kind: "file" } ? K : never }[SettingKey];

/** A reader for every setting whose record is of kind "file" (the type makes a missing one an error). */
const secretFileReaders: Record<FileSetting, (path: string, source: string, context: LoadContext) => Layer> = {
  apiKey: (path, source, context) => ({ apiKey: apiKeyFileEntry(path, source, context) }),
  basespaceAccessToken: basespaceTokenFileEntries,
};

/**
 * The entries the file named for `setting` (a record of kind "file") provides: the API key file, or
 * the bs token file, which may name the BaseSpace server too. Read only if no higher layer has them.
 */
export function secretFileLayer(setting: SettingKey, path: string, source: string, context: LoadContext): Layer {
  return secretFileReaders[setting as FileSetting](path, source, context);
}

/** `icav2` scheme-less server URLs (`ica.illumina.com`) become https URLs. */
function withScheme(serverUrl: string | undefined): string | undefined {
  if (serverUrl === undefined) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(serverUrl) ? serverUrl : `https://${serverUrl}`;
}

/**
 * The lowest layer above the defaults: what the Illumina CLIs stored in the home directory, read
 * only when a setting falls through to it. A default.cfg without a token is not an error here
 * (BaseSpace is optional); the explicit --basespace_access_token_file is. `bsConfig` replaces the
 * `bs` file's default location (ICA_ORCHESTRATOR_BASESPACE_CONFIG).
 */
export function illuminaCliLayer(homeDir: string, context: LoadContext, bsConfig?: string): Layer {
  const icav2 = icav2ConfigPath(homeDir);
  const bs = bsConfig ?? basespaceConfigPath(homeDir);
  const readIcav2 = (): ReturnType<typeof readIcav2Config> => readIcav2Config(icav2);
  const readBs = (): ReturnType<typeof readBasespaceConfig> => readBasespaceConfig(bs);
  const optional = <T>(read: () => Promise<T>, path: string) => () => readIfPresent(path, read);
  return {
    apiKey: { source: `${icav2} x-api-key`, load: fileField(context, `icav2:${icav2}`, optional(readIcav2, icav2), (c) => c.apiKey) },
    icaBaseUrl: {
      source: `${icav2} server-url`,
      load: fileField(context, `icav2:${icav2}`, optional(readIcav2, icav2), (c) => withScheme(c.serverUrl)),
    },
    basespaceAccessToken: {
      source: `${bs} accessToken`,
      load: fileField(context, `bs:${bs}`, optional(readBs, bs), (c) => c.accessToken),
    },
    basespaceApiServer: {
      source: `${bs} apiServer`,
      load: fileField(context, `bs:${bs}`, optional(readBs, bs), (c) => c.apiServer),
    },
  };
}
