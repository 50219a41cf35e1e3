import { z } from "zod";
import { MAX_BULK_IDS, SCOPE_ARCHIVE } from "../assumptions.js";
import { badRequest } from "../bs-error.js";
import type { BulkIds, BulkOutcome } from "../lifecycle.js";
import type { BsRoute } from "../route-kit.js";
import type { SimRequest } from "../../http/router.js";
import type { RouteDeps } from "./route-deps.js";

/** V2BulkArchiveRequest / V2BulkRestoreRequest. The swagger's required `Id` is a codegen leftover: not required. */
const bulkBody = z.looseObject({
  DatasetIds: z.array(z.string().min(1)).default([]),
  RunIds: z.array(z.string().min(1)).default([]),
  Id: z.string().optional(),
});

function parseBulk(req: SimRequest): BulkIds {
  let json: unknown;
  try {
    json = JSON.parse(req.body.toString("utf8"));
  } catch {
    throw badRequest(`${req.route}: the body must be JSON like {"DatasetIds": ["ds.…"], "RunIds": ["…"]}`);
  }
  const parsed = bulkBody.safeParse(json);
  if (!parsed.success) {
    throw badRequest(`${req.route}: DatasetIds and RunIds must be arrays of id strings (${parsed.error.issues[0]?.message})`);
  }
  const ids = parsed.data;
  const count = ids.DatasetIds.length + ids.RunIds.length;
  if (count === 0) throw badRequest(`${req.route}: name at least one id in DatasetIds or RunIds`);
  if (count > MAX_BULK_IDS) throw badRequest(`${req.route}: ${count} ids in one request; send at most ${MAX_BULK_IDS} per call`);
  return ids;
}

/** The swagger types the 200 answer as a bare string; this one says what happened. */
function summary(verb: string, outcome: BulkOutcome): string {
  const datasets = outcome.accepted.filter((i) => i.kind === "dataset").length;
  const runs = outcome.accepted.length - datasets;
  const skipped = outcome.skipped.length > 0 ? `; skipped: ${outcome.skipped.map((s) => s.reason).join("; ")}` : "";
  return `${verb} requested for ${datasets} dataset(s) and ${runs} run(s)${skipped}`;
}

export function archiveRoutes({ lifecycle }: RouteDeps): BsRoute[] {
  return [
    {
      method: "POST",
      path: "/v2/archive",
      api: "v2",
      scopes: SCOPE_ARCHIVE,
      handle: (req, caller) => ({ body: summary("Archive", lifecycle.archive(caller, parseBulk(req))) }),
    },
    {
      method: "POST",
      path: "/v2/restore",
      api: "v2",
      scopes: SCOPE_ARCHIVE,
      handle: (req, caller) => ({ body: summary("Restore", lifecycle.restore(caller, parseBulk(req))) }),
    },
  ];
}
