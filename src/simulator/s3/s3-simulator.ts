import type { ObjectStore, SimContext, SimService } from "../context.js";
import type { Router } from "../http/router.js";
import { CredentialRegistry } from "./credentials.js";
import { MultipartUploads } from "./multipart.js";
import { MemoryObjectStore } from "./object-store.js";
import { s3Routes } from "./s3-routes.js";

/**
 * The simulated S3 bucket behind ICA: path-style REST on its own server, real SigV4 checks against the
 * temporary credentials ICA issues through `store`, and byte-exact objects.
 */
export function createS3Simulator(
  ctx: Pick<SimContext, "clock" | "timings" | "random" | "urls">,
): SimService & { store: ObjectStore } {
  const credentials = new CredentialRegistry(ctx);
  const store = new MemoryObjectStore(ctx, credentials);
  const uploads = new MultipartUploads(ctx.random);

  return {
    store,

    registerRoutes(router: Router): void {
      for (const route of s3Routes({ store, uploads, credentials, clock: ctx.clock, s3Url: () => ctx.urls().s3Url })) {
        router.add(route.method, route.path, route.handler);
      }
    },

    snapshot() {
      return {
        objects: store.list().map(({ key, object }) => ({ key, size: object.bytes.length, etag: object.etag })),
        multipartUploadsInProgress: uploads.inProgress(),
      };
    },

    counts() {
      const objects = store.list();
      return {
        objects: objects.length,
        bytes: objects.reduce((sum, { object }) => sum + object.bytes.length, 0),
        multipartUploadsInProgress: uploads.inProgress().length,
        credentialsIssued: credentials.size,
      };
    },
  };
}
