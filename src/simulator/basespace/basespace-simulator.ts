import type { SimContext, SimService } from "../context.js";
import type { BasespaceFixture } from "../fixtures/format.js";
import type { Router } from "../http/router.js";
import { stateFromFixture } from "./fixture-state.js";
import { Lifecycle } from "./lifecycle.js";
import type { BsItem } from "./model.js";
import { numericId, requestIdSequence } from "./random-id.js";
import { toHandler } from "./route-kit.js";
import { archiveRoutes } from "./routes/archive-routes.js";
import { datasetRoutes } from "./routes/dataset-routes.js";
import { identityRoutes } from "./routes/identity-routes.js";
import { projectRoutes } from "./routes/project-routes.js";
import { runRoutes } from "./routes/run-routes.js";
import { trashRoutes } from "./routes/trash-routes.js";
import { Shapes } from "./shapes.js";
import { BasespaceStore } from "./store.js";

const itemState = (i: BsItem) => ({
  id: i.id,
  isArchived: i.isArchived,
  isDeleted: i.trashId !== undefined,
  inTrash: i.trashId !== undefined,
  restorePending: i.restorePending,
});

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The simulated BaseSpace Sequence Hub (v1pre3 + v2), loaded from the fixture's `basespace` part. */
export function createBasespaceSimulator(
  ctx: SimContext,
  fixture: BasespaceFixture,
): SimService {
  const store = new BasespaceStore(stateFromFixture(fixture, ctx.clock.now()), () => numericId(ctx.random));
  const lifecycle = new Lifecycle(store, ctx);
  const deps = { store, lifecycle, shapes: new Shapes(store, () => ctx.urls().basespaceUrl), clock: ctx.clock, assumptions: ctx.assumptions };
  const routes = [
    ...identityRoutes(deps),
    ...projectRoutes(deps),
    ...datasetRoutes(deps),
    ...runRoutes(deps),
    ...archiveRoutes(deps),
    ...trashRoutes(deps),
  ];

  return {
    registerRoutes(router: Router): void {
      const newRequestId = requestIdSequence();
      for (const route of routes) router.add(route.method, route.path, toHandler(route, store, newRequestId));
    },

    snapshot() {
      return {
        datasets: [...store.datasets.values()].map(itemState).sort(byId),
        runs: [...store.runs.values()].map(itemState).sort(byId),
        permanentlyDeleted: { datasets: [...store.purged.dataset].sort(), runs: [...store.purged.run].sort() },
      };
    },

    counts() {
      const live = [...store.liveDatasets(), ...store.liveRuns()];
      return {
        datasets: store.liveDatasets().length,
        runs: store.liveRuns().length,
        archived: live.filter((i) => i.isArchived).length,
        inTrash: store.allTrash().length,
        permanentlyDeleted: store.purged.dataset.size + store.purged.run.size,
        restoresPending: live.filter((i) => i.restorePending).length,
      };
    },
  };
}
