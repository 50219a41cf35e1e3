import { z } from "zod";
import type { Router } from "../../http/router.js";
import { type EventEntry, toEventLog } from "../events/event-history.js";
import { type IcaRuntime, apiBase, icaRoute, listingOf, pagedJson } from "../ica-route.js";
import { arraySource, parsePaging } from "../paging.js";
import { readJsonBody } from "../request-body.js";

/** `EventLogQueryParametersV4` (spec L22103): every field optional and nullable. */
const searchBody = z.object({
  code: z.string().min(1).nullish(),
  category: z.enum(["ERROR", "WARN", "INFO"]).nullish(),
  dateFrom: z.string().datetime({ offset: true }).nullish(),
  dateUntil: z.string().datetime({ offset: true }).nullish(),
});

/**
 * `POST /api/eventLog:search` (spec L12561): the tenant's event log, oldest first, with cursor or offset
 * paging (sort: timeCreated). `dateFrom` and `dateUntil` are both inclusive — the spec does not say;
 * docs/simulator.md lists it. It answers over every event emitted, delivered or not.
 */
export function registerEventLogRoutes(router: Router, rt: IcaRuntime): void {
  router.add(
    "POST",
    `${apiBase}/eventLog:search`,
    icaRoute(rt, { media: { responses: ["v4"], requests: ["v4"] } }, (call) => {
      const body = readJsonBody(call.req, searchBody, { optional: true });
      const fromMs = body.dateFrom ? Date.parse(body.dateFrom) : -Infinity;
      const untilMs = body.dateUntil ? Date.parse(body.dateUntil) : Infinity;
      const matches = (e: EventEntry) =>
        (body.code == null || e.code === body.code) &&
        (body.category == null || e.category === body.category) &&
        e.timeCreatedMs >= fromMs &&
        e.timeCreatedMs <= untilMs;
      const page = rt.pager.page(parsePaging(call.req.query, rt.ctx.timings.icaMaxPageSize), {
        listing: listingOf(call.req),
        source: arraySource(rt.events.history.of(call.principal.tenantId), (e) => String(e.seq).padStart(12, "0")),
        filter: matches,
        sortFields: { timeCreated: (e) => e.timeCreatedMs },
        version: rt.events.history.count(),
      });
      return pagedJson(call.version, page, toEventLog);
    }),
  );
}
