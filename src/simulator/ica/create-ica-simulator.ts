import { DELAYED_AVAILABLE_MS } from "../assumption-switches.js";
import { FinishAnalysisError, type IcaControls, type SimContext, type SimService } from "../context.js";
import type { IcaFixture } from "../fixtures/format.js";
import type { Router } from "../http/router.js";
import { AnalysisLaunches } from "./analysis-launches.js";
import { Authenticator } from "./authenticator.js";
import { DataStore } from "./data-store.js";
import { AnalysisEvents } from "./events/analysis-events.js";
import { Directory } from "./directory.js";
import { loadIcaFixture } from "./fixture-loader.js";
import { generatedSourceOf } from "./object-etag.js";
import type { IcaRuntime } from "./ica-route.js";
import { icaCounts, icaSnapshot } from "./ica-state-views.js";
import { IdempotencyStore } from "./idempotency-store.js";
import { LinkingBatches } from "./linking-batches.js";
import { Pager } from "./paging.js";
import { registerAnalysisCreateRoutes } from "./routes/analysis-create-routes.js";
import { registerAnalysisRoutes } from "./routes/analysis-routes.js";
import { registerDataActionRoutes } from "./routes/data-action-routes.js";
import { registerDataCreateRoutes } from "./routes/data-create-routes.js";
import { registerDataRoutes } from "./routes/data-routes.js";
import { registerEventLogRoutes } from "./routes/event-log-routes.js";
import { registerNotificationRoutes } from "./routes/notification-routes.js";
import { registerLinkingRoutes } from "./routes/linking-routes.js";
import { registerProjectRoutes } from "./routes/project-routes.js";
import { registerTokenRoutes } from "./routes/token-routes.js";

/**
 * The stateful ICA REST simulator (`/ica/rest/api/...`): loads the fixture, serves the routes, turns
 * an upload to a PARTIAL file's object key into an AVAILABLE file of that size, and runs the analyses
 * created through the API.
 */
export function createIcaSimulator(ctx: SimContext, fixture: IcaFixture): SimService & IcaControls {
  const loadTimeMs = ctx.clock.now();
  const directory = new Directory(fixture, loadTimeMs);
  const store = new DataStore(fixture.projects.map((p) => p.id));
  const analyses = new Map(loadIcaFixture(fixture, store, directory, ctx.objects, loadTimeMs).map((a) => [a.id, a]));
  const events = new AnalysisEvents(ctx, directory);
  const rt: IcaRuntime = {
    ctx,
    directory,
    store,
    auth: new Authenticator(fixture, ctx.clock),
    pager: new Pager(),
    idempotency: new IdempotencyStore(ctx.clock),
    batches: new LinkingBatches(ctx, store, directory),
    analyses,
    launches: new AnalysisLaunches(ctx, store, analyses, (analysis, previous) => events.statusChanged(analysis, previous)),
    events,
  };

  // Fixture files have bytes too: generated from their id on each read (generated-content.ts).
  ctx.objects.serveGenerated((key) => {
    const item = store.byObjectKey(key);
    return item ? generatedSourceOf(item) : undefined;
  });

  ctx.objects.onWrite((key, size) => {
    const item = store.byObjectKey(key);
    if (item?.dataType !== "FILE" || item.status !== "PARTIAL") return;
    // An injected fault: S3 took the bytes, yet ICA never saw the upload complete.
    if (ctx.faults().uploadsStayPartial.names.includes(item.name)) return;
    item.sizeBytes = size;
    item.hasContent = true;
    const available = () => {
      if (store.get(item.id) === item && item.status === "PARTIAL") store.setStatus(item, "AVAILABLE", ctx.clock.now());
    };
    if (ctx.assumptions.is("ica.upload-available", "on-put")) available();
    else ctx.scheduler.after(DELAYED_AVAILABLE_MS, available);
  });

  return {
    registerRoutes(router: Router) {
      for (const register of [
        registerTokenRoutes,
        registerProjectRoutes,
        registerAnalysisRoutes,
        registerAnalysisCreateRoutes,
        registerDataRoutes,
        registerDataCreateRoutes,
        registerDataActionRoutes,
        registerLinkingRoutes,
        registerNotificationRoutes,
        registerEventLogRoutes,
      ]) {
        register(router, rt);
      }
    },
    snapshot: () => icaSnapshot(rt),
    counts: () => icaCounts(rt),
    finishAnalysis: ({ analysisId, endInMs }) => {
      const origin = analyses.get(analysisId);
      if (origin?.status !== "SUCCEEDED") {
        throw new FinishAnalysisError(`analysis ${analysisId} ${origin ? `is ${origin.status}` : "does not exist"}: name a SUCCEEDED analysis to copy`);
      }
      const record = rt.launches.finishLike(origin, endInMs);
      return { id: record.id, reference: record.reference, endsAtMs: record.timeCreatedMs + endInMs };
    },
  };
}
