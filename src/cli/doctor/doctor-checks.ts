import { BaseSpaceClient } from "../../basespace/client.js";
import {
  environmentVariables,
  loadLocalSettings,
  loadSettings,
  type LoadSettingsInput,
  type Settings,
  type SettingSource,
} from "../../config/index.js";
import { basespaceConfigPath } from "../../config/illumina-cli-files.js";
import { AuthError, NetworkError } from "../../http/errors.js";
import { IcaClient, icaRestBase } from "../../ica/client.js";
import type { SecretRedactor } from "../../logging/index.js";
import { checkTokenScopes } from "../../modules/bssh-utils/index.js";
import { resolveProject } from "../../modules/launch/index.js";
import { gateBasespaceScopes, requiredBasespaceScopes, type BasespaceAction } from "../../orchestrator/plan/index.js";
import type { CheckResult } from "./checklist.js";
import { checkArchiveCost } from "./cost-check.js";
import { clockSkewFailMs, clockSkewWarnMs, describeSkew, measureClockSkew } from "./clock-skew.js";
import { checkEventSubscriptions } from "./events-check.js";
import { checkStateDir } from "./state-dir-check.js";

/** What doctor found: the checklist, and which layer set each setting of each pair. */
export interface DoctorReport {
  results: CheckResult[];
  /** One entry per pair, empty when the configuration does not load. */
  pairs: Array<{ label: string; sources: SettingSource[] }>;
}

export interface DoctorOptions {
  redactor: SecretRedactor;
  /** Tests shift the local clock to exercise the clock check. */
  now?: () => number;
}

/** One attempt and one retry: doctor answers quickly rather than riding out an outage. */
const doctorRetry = { maxRetries: 1, baseDelayMs: 200 };

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function apiFailure(name: string, error: unknown, rejectedFix: string): CheckResult {
  if (error instanceof AuthError) return { name, status: "fail", detail: message(error), fix: rejectedFix };
  if (error instanceof NetworkError) {
    return { name, status: "fail", detail: message(error), fix: "check the server URL, the network and any proxy between here and the service" };
  }
  return { name, status: "fail", detail: message(error) };
}

const refText = (ref: Settings["source"]): string => ("id" in ref ? ref.id : ref.name);

/** The BaseSpace actions these settings would take, so scopes for disabled ones are not asked for. */
function neededActions(settings: Settings): BasespaceAction[] {
  return [
    ...(settings.daysToArchive === null ? [] : (["archive"] as const)),
    "restore",
    "trash",
    ...(settings.emptyTrash === "never" ? [] : (["empty-trash"] as const)),
  ];
}

async function checkIca(settings: Settings, results: CheckResult[]): Promise<IcaClient | undefined> {
  const ica = new IcaClient({ serverUrl: settings.icaBaseUrl, apiKey: settings.apiKey, timeoutMs: settings.requestTimeoutMs, retry: doctorRetry, pageSize: 1 });
  try {
    for await (const _project of ica.listProjects()) break;
    results.push({ name: "ICA API key", status: "ok", detail: `accepted by ${settings.icaBaseUrl}` });
  } catch (error) {
    results.push(apiFailure("ICA API key", error, "create a new API key in ICA (your user menu > Manage API Keys) and put it in the key file"));
    return undefined;
  }
  return ica;
}

async function checkClock(settings: Settings, options: DoctorOptions): Promise<CheckResult> {
  const name = "clock";
  const fix = "synchronise the clock with NTP (e.g. timedatectl set-ntp true, or chrony)";
  try {
    const skew = await measureClockSkew(`${icaRestBase(settings.icaBaseUrl)}/api/projects`, {
      timeoutMs: settings.requestTimeoutMs,
      ...(options.now ? { now: options.now } : {}),
    });
    if (skew === undefined) return { name, status: "warn", detail: `${settings.icaBaseUrl} sent no Date header to compare with` };
    const detail = `${describeSkew(skew.skewMs)} the ICA server's (its Date header: ${skew.serverDate})`;
    const size = Math.abs(skew.skewMs);
    if (size > clockSkewFailMs) return { name, status: "fail", detail: `${detail}: S3 uploads and data ages need a correct clock`, fix };
    if (size > clockSkewWarnMs) return { name, status: "warn", detail, fix };
    return { name, status: "ok", detail };
  } catch (error) {
    return { name, status: "fail", detail: `cannot reach ${settings.icaBaseUrl} (${message(error)})`, fix: "check --server_url and the network" };
  }
}

async function checkProjects(ica: IcaClient, all: readonly Settings[], results: CheckResult[]): Promise<void> {
  const seen = new Set<string>();
  for (const settings of all) {
    for (const side of ["source", "destination"] as const) {
      const ref = refText(settings[side]);
      if (seen.has(`${side}:${ref}`)) continue;
      seen.add(`${side}:${ref}`);
      const name = `${side} project`;
      try {
        const project = await resolveProject(ica, ref);
        results.push({ name, status: "ok", detail: `"${project.name}" (${project.id})` });
      } catch (error) {
        results.push({ name, status: "fail", detail: message(error) });
      }
    }
  }
}

async function checkBasespace(settings: Settings, input: LoadSettingsInput, results: CheckResult[]): Promise<void> {
  if (settings.basespace === undefined) {
    const looked = input.env?.[environmentVariables.basespaceConfig] || basespaceConfigPath(input.homeDir);
    results.push({
      name: "BaseSpace token",
      status: "warn",
      detail: `none found (looked in ${environmentVariables.basespaceAccessToken} and ${looked}): BaseSpace data will not be archived or deleted`,
      fix: "run bs auth, or pass --basespace_access_token_file FILE, if this lab uses BaseSpace",
    });
    return;
  }
  const { apiServer, accessToken } = settings.basespace;
  const bs = new BaseSpaceClient({ apiServer, accessToken, timeoutMs: settings.requestTimeoutMs, retry: doctorRetry });
  let scopes: string[];
  try {
    scopes = (await checkTokenScopes(bs, requiredBasespaceScopes)).scopes;
    results.push({ name: "BaseSpace token", status: "ok", detail: `accepted by ${apiServer}` });
  } catch (error) {
    results.push(apiFailure("BaseSpace token", error, "run bs auth to get a new token, then point --basespace_access_token_file at it"));
    return;
  }
  const gate = gateBasespaceScopes(scopes, { apiServer });
  const blocked = neededActions(settings).filter((action) => gate.blockedBy(action) !== null);
  if (blocked.length === 0) {
    results.push({ name: "BaseSpace scopes", status: "ok", detail: `the token may ${neededActions(settings).join(", ")}` });
    return;
  }
  results.push({
    name: "BaseSpace scopes",
    status: "fail",
    detail: `the token lacks ${gate.missing.join(", ")}, so a cycle would skip: ${blocked.join(", ")}`,
    ...(gate.fixCommand !== null ? { fix: gate.fixCommand } : {}),
  });
}

/**
 * The checklist: configuration (which also proves the credentials are found), state directory,
 * then one cheap call per service (credentials valid), the clock against the ICA server's Date
 * header, both projects of every pair, the events subscription (with `--events`), and the BaseSpace token's scopes. A check that depends on a
 * failed one is skipped rather than failing twice.
 */
export async function runDoctorChecks(input: LoadSettingsInput, options: DoctorOptions): Promise<DoctorReport> {
  const results: CheckResult[] = [];
  const report: DoctorReport = { results, pairs: [] };
  const local = await loadLocalSettings(input).catch(() => undefined);
  let all: Settings[];
  try {
    const loaded = await loadSettings(input);
    all = loaded.settings;
    report.pairs = all.map((settings, i) => ({ label: `${refText(settings.source)} -> ${refText(settings.destination)}`, sources: loaded.sources[i] ?? [] }));
    all.forEach((settings) => [settings.apiKey, settings.basespace?.accessToken].forEach((secret) => options.redactor.add(secret)));
    const pairs = `${all.length} source/destination pair${all.length > 1 ? "s" : ""}`;
    results.push({ name: "configuration", status: "ok", detail: `${pairs}${loaded.configPath ? ` from ${loaded.configPath}` : ""}; credentials found` });
    for (const warning of [...loaded.warnings, ...loaded.overrides]) results.push({ name: "configuration", status: "warn", detail: warning });
  } catch (error) {
    results.push({ name: "configuration", status: "fail", detail: message(error) });
    if (local?.[0]) results.push(await checkStateDir(local[0].stateDir));
    results.push({ name: "credentials and projects", status: "skip", detail: "fix the configuration first" });
    return report;
  }
  const [first] = all as [Settings];
  all.forEach((settings, i) => results.push(checkArchiveCost(settings, report.pairs[i]?.label ?? refText(settings.source))));
  results.push(await checkStateDir(first.stateDir));
  const ica = await checkIca(first, results);
  results.push(await checkClock(first, options));
  if (ica) {
    await checkProjects(ica, all, results);
    results.push(...(await checkEventSubscriptions(ica, all)));
  } else results.push({ name: "projects", status: "skip", detail: "the ICA API key must work first" });
  await checkBasespace(first, input, results);
  return report;
}
