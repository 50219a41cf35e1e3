import type { SimRequest, SimResponse } from "../http/router.js";
import { UNVERSIONED_REQUEST_VERSION, VERSION_MISMATCH_STATUS } from "./assumptions.js";
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

function acceptedVersion(req: SimRequest, offered: MediaTypes): ApiVersion | "any" {
  const header = req.headers.accept;
  if (header === undefined || header.trim() === "") return "any";
  const ranges = parseAccept(header);
  for (const { type } of ranges) {
    if (type === "*/*" || type === "application/*" || type === "application/json") return "any";
    const version = vendorPattern.exec(type)?.[1];
    if (version && offered.responses.includes(version as ApiVersion)) return version as ApiVersion;
  }
  throw new ProblemError(
    406,
    `none of the media types in Accept (${header}) is offered here; send Accept: ${offered.responses.map(vendorType).join(" or ")}`,
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
 * Picks the representation version for one request. The spec's changelogs (e.g. L3513) require that
 * Content-Type and Accept carry the same version; plain application/json (either header) states no
 * version, and an unversioned body is read as {@link UNVERSIONED_REQUEST_VERSION}.
 */
export function negotiateVersion(req: SimRequest, offered: MediaTypes): ApiVersion {
  const fromBody = requestVersion(req, offered);
  const fromAccept = acceptedVersion(req, offered);
  if (fromBody !== undefined && fromAccept !== "any" && fromBody !== fromAccept) {
    throw new ProblemError(
      VERSION_MISMATCH_STATUS,
      `Content-Type asks for ${fromBody} but Accept asks for ${fromAccept}; both headers must carry the same version`,
    );
  }
  if (fromAccept !== "any") return fromAccept;
  const wanted = fromBody ?? UNVERSIONED_REQUEST_VERSION;
  return offered.responses.includes(wanted) ? wanted : (offered.responses[0] as ApiVersion);
}

export function vendorJson(status: number, version: ApiVersion, body: unknown): SimResponse {
  return { status, headers: { "content-type": vendorType(version) }, body };
}
