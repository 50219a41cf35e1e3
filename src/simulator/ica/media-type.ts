import type { SimRequest, SimResponse } from "../http/router.js";
import { VERSION_MISMATCH_STATUS } from "./assumptions.js";
import { ProblemError } from "./problem.js";

export type ApiVersion = "v3" | "v4";

/** What one operation offers, straight from its spec entry. */
export interface MediaTypes {
  /** Versions of the response representation; the first is used when the client does not ask. */
  responses: readonly ApiVersion[];
  /** Vendor versions the request body (or, on GET, the Content-Type header) may carry. */
  requests: readonly ApiVersion[];
}

const vendorPattern = /^application\/vnd\.illumina\.(v\d+)\+json$/;

const vendorType = (version: ApiVersion): string => `application/vnd.illumina.${version}+json`;

interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(",")
    .map((part) => {
      const [type = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith("q="));
      return { type, q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.type !== "" && r.q > 0)
    .sort((a, b) => b.q - a.q);
}

function mediaTypeOf(header: string | undefined): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type === "" ? undefined : type;
}

/**
 * The version Accept asks for. Strict: the spec documents every JSON answer under a vendor type only
 * (`application/vnd.illumina.v3+json`/`v4+json`), so Accept must name one this operation offers; none,
 * `*\/*` or plain `application/json` is 406. Whether the service would fall back is unknown, and a client
 * that relied on it would break the day it does not: here it finds out first.
 */
function acceptedVersion(req: SimRequest, offered: MediaTypes): ApiVersion {
  const header = req.headers.accept ?? "";
  for (const { type } of parseAccept(header)) {
    const version = vendorPattern.exec(type)?.[1];
    if (version && offered.responses.includes(version as ApiVersion)) return version as ApiVersion;
  }
  throw new ProblemError(
    406,
    `none of the media types in Accept (${header.trim() || "none sent"}) is offered here; send Accept: ${offered.responses.map(vendorType).join(" or ")}`,
  );
}

function requestVersion(req: SimRequest, offered: MediaTypes): ApiVersion | undefined {
  const type = mediaTypeOf(req.headers["content-type"]);
  if (type === undefined || type === "application/json") return undefined;
  const version = vendorPattern.exec(type)?.[1];
  if (version && offered.requests.includes(version as ApiVersion)) return version as ApiVersion;
  if (version === undefined && req.body.length === 0) return undefined;
  throw new ProblemError(
    415,
    `Content-Type ${type} is not accepted here; send ${[...offered.requests.map(vendorType), "application/json"].join(" or ")}`,
  );
}

/**
 * Picks the representation version for one request: the one Accept names. The spec's changelogs (e.g.
 * L3513) require that a vendor Content-Type carries the same version; a plain application/json body
 * states none and takes Accept's.
 */
export function negotiateVersion(req: SimRequest, offered: MediaTypes): ApiVersion {
  const fromBody = requestVersion(req, offered);
  const fromAccept = acceptedVersion(req, offered);
  if (fromBody !== undefined && fromBody !== fromAccept) {
    throw new ProblemError(
      VERSION_MISMATCH_STATUS,
      `Content-Type asks for ${fromBody} but Accept asks for ${fromAccept}; both headers must carry the same version`,
    );
  }
  return fromAccept;
}

export function vendorJson(status: number, version: ApiVersion, body: unknown): SimResponse {
  return { status, headers: { "content-type": vendorType(version) }, body };
}
