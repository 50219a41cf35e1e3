import { ConfigError, type ProjectRef } from "../../config/index.js";
import { ApiError, AuthError, BadRequestError, ConflictError, InvalidResponseError, NotFoundError } from "../../http/errors.js";
import { checkTokenScopes } from "../../modules/bssh-utils/index.js";
import { resolveProject } from "../../modules/launch/index.js";
import type { CycleContext } from "../cycle-context.js";
import type { ResolvedProjects } from "../cycle-facts.js";
import { gateBasespaceScopes, requiredBasespaceScopes, type ScopeGate } from "../plan/basespace-scopes.js";
import { messageOf, type StepRecorder } from "../step-recorder.js";
import { failureFactOf } from "../failure-facts.js";

/**
 * Step 1: both ICA projects by name or id, and the BaseSpace token's scopes (once per cycle; not for a
 * delivery cycle, `basespace: false`, which never touches BaseSpace). A
 * project that cannot be resolved, or credentials the services refuse, throw: those are
 * configuration problems, and nothing later can run without the projects.
 */
export async function resolveProjects(ctx: CycleContext, rec: StepRecorder, use: { basespace: boolean } = { basespace: true }): Promise<ResolvedProjects> {
  const resolve = (ref: ProjectRef) => resolveProject(ctx.ica, refText(ref)).catch((error: unknown) => {
    throw notIcaError(error, ctx.settings.icaBaseUrl);
  });
  const [source, destination, token] = await Promise.all([resolve(ctx.settings.source), resolve(ctx.settings.destination), use.basespace ? readToken(ctx, rec) : null]);
  if (source.id === destination.id) {
    throw new ConfigError(
      `source and destination resolve to the same ICA project "${source.name}" (${source.id}): FASTQs are linked into another project, so give a different destination`,
    );
  }
  return { source, destination, scopes: token?.scopes ?? null, basespaceUserId: token?.userId ?? null };
}

/** `--server_url` names a server that answers, but not as ICA: exit 2, with the URL to correct. */
class ServerUrlError extends ConfigError {
  override name = "ServerUrlError";
}

/**
 * The project listing is the cycle's first call, on a route every ICA has. An answer ICA never gives
 * there — a body that is not ICA's (a portal, a sign-in page, another API), or a 4xx other than the
 * key's 401/403 and 429 — means the URL names something else, whatever it answered. A 5xx or no
 * answer stays what it is: ICA itself may be down.
 */
function notIcaError(error: unknown, serverUrl: string): unknown {
  const notIca = [InvalidResponseError, NotFoundError, BadRequestError, ConflictError].some((kind) => error instanceof kind);
  if (!notIca || !(error instanceof ApiError) || error.service !== "ica") return error;
  const url = new URL(serverUrl);
  url.username = "";
  url.password = "";
  return new ServerUrlError(
    `--server_url ${url.href} answers, but not as the ICA API (${error.message}); set server_url to the ICA server itself, e.g. https://ica.illumina.com`,
  );
}

function refText(ref: ProjectRef): string {
  return "id" in ref ? ref.id : ref.name;
}

async function readToken(ctx: CycleContext, rec: StepRecorder): Promise<{ scopes: ScopeGate; userId: string | null } | null> {
  const { basespace, settings } = ctx;
  if (!basespace || !settings.basespace) {
    rec.warn("no BaseSpace access token configured: the BaseSpace lifecycle is skipped; run `bs auth` or pass --basespace_access_token_file");
    return null;
  }
  try {
    const check = await checkTokenScopes(basespace, requiredBasespaceScopes);
    const gate = gateBasespaceScopes(check.scopes, { apiServer: settings.basespace.apiServer });
    rec.count("basespaceScopesMissing", gate.missing.length);
    if (gate.warning !== null) rec.warn(gate.warning);
    return { scopes: gate, userId: check.userId };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    rec.error(`cannot read the BaseSpace token's scopes (${messageOf(error)}): the BaseSpace lifecycle is skipped this cycle`, failureFactOf(error, "basespace-scopes"));
    return null;
  }
}
