import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "./config-error.js";
import { secretFileLayer } from "./file-entries.js";
import type { Layer, LoadContext } from "./layers.js";
import type { SettingKey, SettingRecord } from "./setting-records.js";
import { settingEntries } from "./setting-views.js";

/**
 * `--config file.json` / ICA_ORCHESTRATOR_CONFIG. Keys are the flags' snake_case names; `source` and
 * `destination` are a project name or `{"id": …}` / `{"name": …}`; `pairs` lists several
 * source/destination pairs (each may set the keys in pairKeys), one cycle each. Relative paths are
 * relative to the config file. Values are type-checked by the settings schema, which names the key.
 *
 * ```json
 * { "api_key_file": "/run/secrets/ica_api_key", "days_to_delete": 120,
 *   "pairs": [{ "source": "BSSH_Runs", "destination": "MGI_Delivery" },
 *             { "source": { "id": "0c4c…" }, "destination": "Other", "fastq_pattern": "^M-" }] }
 * ```
 */
const project = z.union([
  z.string().trim().min(1),
  z.strictObject({ id: z.string().trim().min(1) }),
  z.strictObject({ name: z.string().trim().min(1) }),
]);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]).optional();
const filePath = z.string().trim().min(1).optional();

/** The value a key holds, by the kind of its setting; the settings schema checks it further. */
function keySchema(record: SettingRecord): z.ZodType {
  if (record.kind === "project") return project.optional();
  if (record.kind === "file") return filePath;
  return scalar;
}

/** Config-file key → setting: every setting's record names its key. */
const settingsByKey = new Map<string, [SettingKey, SettingRecord]>(settingEntries.map((entry) => [entry[1].name, entry]));
const shapeOf = (records: ReadonlyArray<[SettingKey, SettingRecord]>) =>
  Object.fromEntries(records.map(([, record]) => [record.name, keySchema(record)]));

/**
 * The keys a pair may set besides its source and destination.
 * @internal exported for the tests
 */
export const pairKeys = settingEntries.filter(([, r]) => r.perPair && r.kind !== "project").map(([, r]) => r.name);

const pairSchema = z.strictObject(shapeOf(settingEntries.filter(([, record]) => record.perPair)));
const configSchema = z.strictObject({ ...shapeOf(settingEntries), pairs: z.array(pairSchema).min(1).optional() });
type ConfigSection = Record<string, unknown>;

export interface ConfigFileLayers {
  path: string;
  /** Values for every cycle. */
  top: Layer;
  /** One layer per listed pair (empty when the file lists none); these override `top`. */
  pairs: Layer[];
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i > 0 ? "." : ""}${String(part)}`)).join("");
}

/** One line per problem of one schema issue (an unknown-keys issue names several keys). */
function issueLines(file: string, issue: z.core.$ZodIssue): string[] {
  const where = keyPath(issue.path);
  const at = where === "" ? "" : ` ${where}:`;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const name = where === "" ? key : `${where}.${key}`;
      const secretHint = /key|token|secret|password/i.test(key)
        ? "; secrets do not belong in the config file: use api_key_file / basespace_access_token_file"
        : issue.path.length > 0
          ? `; a pair may set source, destination, ${pairKeys.join(", ")}`
          : "; see the README's configuration table";
      return `config file ${file}: unknown key ${name}${secretHint}`;
    });
  }
  if (/^(pairs\[\d+\]\.)?(source|destination)$/.test(where)) {
    return [`config file ${file}:${at} expected a project name, {"id": "…"} or {"name": "…"}`];
  }
  if (where === "pairs") return [`config file ${file}: pairs must be a non-empty list of {source, destination, …}`];
  return [`config file ${file}:${at} ${issue.message}`];
}

function sectionLayer(section: ConfigSection, label: string, baseDir: string, context: LoadContext): Layer {
  const layer: Layer = {};
  for (const [key, value] of Object.entries(section)) {
    const known = settingsByKey.get(key);
    if (value === undefined || known === undefined) continue;
    const [setting, record] = known;
    const source = `config ${label}${key}`;
    if (record.kind === "file") Object.assign(layer, secretFileLayer(setting, resolve(baseDir, String(value)), source, context));
    else if (record.kind === "project") layer[setting] = { source, value: typeof value === "string" ? { name: value } : value };
    else layer[setting] = { source, value: record.kind === "path" && typeof value === "string" ? resolve(baseDir, value) : value };
  }
  return layer;
}

export async function readConfigFile(path: string, context: LoadContext): Promise<ConfigFileLayers> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = code === "ENOENT" ? "correct --config / ICA_ORCHESTRATOR_CONFIG" : "check its permissions";
    throw new ConfigError(`config file ${path} cannot be read (${code}): ${fix}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON (${(error as Error).message}): fix the syntax`);
  }
  const parsed = configSchema.safeParse(raw);
  // Every problem at once, one line each: fixing them one run at a time is slow.
  if (!parsed.success) throw new ConfigError(parsed.error.issues.flatMap((issue) => issueLines(path, issue)).join("\n"));
  const { pairs = [], ...top } = parsed.data as ConfigSection & { pairs?: ConfigSection[] };
  if (pairs.length > 0 && (top.source !== undefined || top.destination !== undefined)) {
    throw new ConfigError(`config file ${path}: give either top-level source/destination or pairs, not both`);
  }
  const baseDir = dirname(path);
  return {
    path,
    top: sectionLayer(top, `${path} `, baseDir, context),
    pairs: pairs.map((pair, i) => sectionLayer(pair, `${path} pairs[${i}].`, baseDir, context)),
  };
}
