import { settingDefaults } from "../../config/index.js";

/**
 * Which BaseSpace lifecycle actions the token's scopes allow, and the command that fixes a shortfall.
 *
 * The predecessor checks READ GLOBAL, BROWSE GLOBAL, MOVETOTRASH GLOBAL and EMPTY TRASH
 * (basespace-api-notes §5); listing needs the first two, moving to the trash the third, emptying it the
 * fourth. No source names the scope of `POST /v2/archive|restore`; the simulator requires WRITE GLOBAL
 * for them (its assumptions.ts: the predecessor's README asks for it), so archive/restore need it here
 * too — a clear warning beats a 403 per call. A restore is only ever requested to trash the item
 * afterwards, so it also needs MOVETOTRASH GLOBAL: restoring data we cannot trash would spend credits
 * for nothing.
 */
const basespaceActions = ["archive", "restore", "trash", "empty-trash"] as const;
export type BasespaceAction = (typeof basespaceActions)[number];

const READ = "READ GLOBAL";
const BROWSE = "BROWSE GLOBAL";
const MOVETOTRASH = "MOVETOTRASH GLOBAL";
const EMPTY_TRASH = "EMPTY TRASH";
const WRITE = "WRITE GLOBAL";

export const requiredBasespaceScopes = [READ, BROWSE, MOVETOTRASH, EMPTY_TRASH, WRITE] as const;

const scopesFor: Record<BasespaceAction, readonly string[]> = {
  archive: [READ, BROWSE, WRITE],
  restore: [READ, BROWSE, WRITE, MOVETOTRASH],
  trash: [READ, BROWSE, MOVETOTRASH],
  "empty-trash": [READ, BROWSE, EMPTY_TRASH],
};

export interface ScopeGate {
  /** Required scopes the token lacks, in the order of `requiredBasespaceScopes`. */
  missing: string[];
  /** Datasets, runs and the trash can be listed at all (either listing scope suffices for that). */
  canList: boolean;
  allowed: ReadonlySet<BasespaceAction>;
  skipped: BasespaceAction[];
  /** Why an action is skipped (for plan items), or null when it is allowed (or not a BaseSpace action). */
  blockedBy(action: string): string | null;
  /** One line for the report, or null when nothing is missing. */
  warning: string | null;
  fixCommand: string | null;
}

export interface FixCommandOptions {
  /** The token's API server; omitted from the command when it is the default (US) one. */
  apiServer?: string;
  /** A named `bs` config (`~/.basespace/<name>.cfg`); omitted for `default`. */
  configName?: string;
}

export function gateBasespaceScopes(granted: readonly string[], options: FixCommandOptions = {}): ScopeGate {
  const have = new Set(granted.map(normalizeScope));
  const missing = requiredBasespaceScopes.filter((scope) => !have.has(scope));
  const lacking = (action: string) =>
    (isBasespaceAction(action) ? scopesFor[action] : []).filter((scope) => !have.has(scope));
  const allowed = new Set(basespaceActions.filter((action) => lacking(action).length === 0));
  const skipped = basespaceActions.filter((action) => !allowed.has(action));
  const fixCommand = missing.length === 0 ? null : basespaceAuthCommand(granted, options);
  return {
    missing,
    canList: have.has(READ) || have.has(BROWSE),
    allowed,
    skipped,
    blockedBy: (action) => {
      const gap = lacking(action);
      return gap.length === 0 ? null : `BaseSpace token lacks scope ${gap.join(", ")}`;
    },
    warning:
      missing.length === 0
        ? null
        : `BaseSpace token lacks scope(s) ${missing.join(", ")}: skipping ${skipped.join(", ")}; fix with: ${fixCommand}`,
    fixCommand,
  };
}

/**
 * `bs auth --force --scopes "..."`. `--force` because a config already exists (we read its token);
 * the scope list keeps every scope the token has besides the required ones, since `bs auth` replaces
 * the token and the same config usually serves the `bs` CLI too. (The predecessor's README asks for
 * nine scopes incl. CREATE GLOBAL/CREATE RUNS/START APPLICATIONS; this tool does not need those, so it
 * does not ask for them.)
 */
function basespaceAuthCommand(granted: readonly string[], options: FixCommandOptions = {}): string {
  const scopes = [...new Set([...requiredBasespaceScopes, ...granted.map(normalizeScope)])].filter((s) => s !== "");
  const config = options.configName && options.configName !== "default" ? ` -c ${shellWord(options.configName)}` : "";
  const server =
    options.apiServer && options.apiServer.replace(/\/+$/, "") !== settingDefaults.basespaceApiServer
      ? ` --api-server ${shellWord(options.apiServer)}`
      : "";
  return `bs${config} auth --force${server} --scopes "${scopes.join(",")}"`;
}

function isBasespaceAction(action: string): action is BasespaceAction {
  return (basespaceActions as readonly string[]).includes(action);
}

/** Leaves plain words alone and single-quotes anything a shell would split or expand. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Scopes compare case- and space-insensitively: `read  global` is READ GLOBAL. */
function normalizeScope(scope: string): string {
  return scope.trim().replace(/\s+/g, " ").toUpperCase();
}
