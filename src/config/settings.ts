import { join } from "node:path";
import { z } from "zod";
import { logFormats, logLevels } from "../logging/logger.js";

export const basespaceRunsModes = ["all", "related", "none"] as const;
export const emptyTrashModes = ["own-only", "always", "never"] as const;

/**
 * Every default in one place. `fastqPattern` is "the file name starts with M", as the orchestration
 * issue specifies (the original tool's `mgi_or_not` was narrower: exactly `M-…`, i.e. `^M[-.]`);
 * `Undetermined*` files are never selected, whatever the pattern (orchestrator/plan/fastq-selection).
 */
export const settingDefaults = {
  icaBaseUrl: "https://ica.illumina.com",
  basespaceApiServer: "https://api.basespace.illumina.com",
  stateDir: ".ica-orchestrator",
  daysToArchive: 60,
  daysToDelete: 90,
  fastqPattern: "^M",
  bclConvertPattern: "/bcl.*convert/i",
  basespaceRuns: "all",
  emptyTrash: "own-only",
  deleteCap: 500,
  protect: [],
  dryRun: false,
  concurrency: 8,
  requestTimeoutMs: 60_000,
  linkDeadlineMs: 15 * 60_000,
  logLevel: "info",
  logFormat: "text",
} as const satisfies Partial<Record<SettingKey, unknown>>;

// ── input coercion: flags and environment variables arrive as strings ─────────────────────────

const fromNumericString = (value: unknown): unknown =>
  typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(fromNumericString, z.int().min(min).max(max));

const offWords = new Set(["off", "none", "false", "never"]);
const daysOrOff = z.preprocess(
  (value) => (value === false || (typeof value === "string" && offWords.has(value.trim().toLowerCase())) ? null : fromNumericString(value)),
  z.int().min(1).nullable(),
);

const booleanWords: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };
const flag = z.preprocess(
  (value) => (typeof value === "string" ? (booleanWords[value.trim().toLowerCase()] ?? value) : value),
  z.boolean(),
);

/** A comma-separated string, or a list (repeated flags, JSON array) whose items may hold commas too. */
const list = z.preprocess(
  (value) =>
    typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"))
      ? [value]
          .flat()
          .flatMap((item: string) => item.split(","))
          .map((item) => item.trim())
          .filter((item) => item !== "")
      : value,
  z.array(z.string().min(1)),
);

/** `/body/flags` or a bare body; `g`/`y` are refused because they make RegExp.test() stateful. */
export function parsePattern(text: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
  const [body, flags] = literal ? [literal[1] ?? "", literal[2] ?? ""] : [text, ""];
  if (/[gy]/.test(flags)) throw new SyntaxError(`flags g and y are not allowed`);
  return new RegExp(body, flags);
}

const pattern = z.string().min(1).transform((text, ctx) => {
  try {
    return parsePattern(text);
  } catch (error) {
    const reason = (error as Error).message;
    ctx.addIssue({ code: "custom", message: `not a valid regular expression (${reason}); escape ( [ . * + ? with a backslash to match them literally` });
    return z.NEVER;
  }
});

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }))
  .transform((text) => text.replace(/\/+$/, ""));

const projectRef = z.union([z.strictObject({ id: z.string().trim().min(1) }), z.strictObject({ name: z.string().trim().min(1) })]);
export type ProjectRef = z.infer<typeof projectRef>;

const secret = z.string().trim().min(1);

/** The original tool kept its table in the working directory; ours lives with the rest of the state. */
const defaultManagedTable = (stateDir: string): string => join(stateDir, "analyses_managed_table.txt");

// ── the one schema ────────────────────────────────────────────────────────────────────────────

/**
 * Validates the merged layers (flags > environment > config file > Illumina CLI files > defaults)
 * and produces the complete Settings of one cycle. Keys are the draft's; `basespaceApiServer` and
 * `basespaceAccessToken` become `basespace`, and the managed table defaults into the state dir.
 */
export const settingsShape = z.strictObject({
  source: projectRef,
  destination: projectRef,
  apiKey: secret,
  icaBaseUrl: httpUrl.refine((url) => !/\/ica\/rest$/.test(url), {
    message: "must name the server only, e.g. https://ica.illumina.com: the client appends /ica/rest itself",
  }),
  basespaceApiServer: httpUrl,
  basespaceAccessToken: secret.optional(),
  stateDir: z.string().min(1),
  managedTablePath: z.string().min(1).optional(),
  daysToArchive: daysOrOff,
  daysToDelete: wholeNumber(1),
  fastqPattern: pattern,
  bclConvertPattern: pattern,
  basespaceRuns: z.enum(basespaceRunsModes),
  emptyTrash: z.enum(emptyTrashModes),
  deleteCap: wholeNumber(0),
  protect: list,
  dryRun: flag,
  concurrency: wholeNumber(1, 64),
  requestTimeoutMs: wholeNumber(1_000),
  linkDeadlineMs: wholeNumber(1_000),
  logLevel: z.enum(logLevels),
  logFormat: z.enum(logFormats),
});

export const settingsSchema = settingsShape
  .superRefine((draft, ctx) => {
    if (draft.daysToArchive !== null && draft.daysToArchive > draft.daysToDelete) {
      ctx.addIssue({
        code: "custom",
        path: ["daysToArchive"],
        message: `${draft.daysToArchive} is more than days_to_delete (${draft.daysToDelete}): lower it, or set it to "off" to delete without archiving`,
      });
    }
    const same =
      ("id" in draft.source && "id" in draft.destination && draft.source.id === draft.destination.id) ||
      ("name" in draft.source && "name" in draft.destination && draft.source.name === draft.destination.name);
    if (same) {
      ctx.addIssue({
        code: "custom",
        path: ["destination"],
        message: "names the same project as the source: FASTQs are linked into another project, so give a different destination",
      });
    }
  })
  .transform(({ basespaceApiServer, basespaceAccessToken, managedTablePath, stateDir, ...rest }) => ({
    ...rest,
    stateDir,
    managedTablePath: managedTablePath ?? defaultManagedTable(stateDir),
    basespace:
      basespaceAccessToken === undefined ? undefined : { apiServer: basespaceApiServer, accessToken: basespaceAccessToken },
  }));

/**
 * The settings that need no credentials (for `status`, and for opening the log before the rest is
 * validated): the same field schemas, picked.
 */
export const localSettingsSchema = settingsShape
  .pick({ stateDir: true, managedTablePath: true, logLevel: true, logFormat: true })
  .transform(({ managedTablePath, ...rest }) => ({
    ...rest,
    managedTablePath: managedTablePath ?? defaultManagedTable(rest.stateDir),
  }));
export type LocalSettings = z.output<typeof localSettingsSchema>;

/** What the merged layers provide before validation (values may still be strings). */
export type SettingsDraft = z.input<typeof settingsSchema>;
export type SettingKey = keyof SettingsDraft;
/** The complete, validated settings of one cycle. */
export type Settings = z.output<typeof settingsSchema>;

/** The secret values in `settings`, to register with the SecretRedactor. */
export function settingsSecrets(settings: Settings): string[] {
  return [settings.apiKey, ...(settings.basespace ? [settings.basespace.accessToken] : [])];
}

/** A printable copy (doctor, status, reports): secrets replaced, patterns as text. */
export function describeSettings(settings: Settings): Record<string, unknown> {
  return {
    ...settings,
    apiKey: "[REDACTED]",
    basespace: settings.basespace ? { apiServer: settings.basespace.apiServer, accessToken: "[REDACTED]" } : undefined,
    fastqPattern: String(settings.fastqPattern),
    bclConvertPattern: String(settings.bclConvertPattern),
  };
}
