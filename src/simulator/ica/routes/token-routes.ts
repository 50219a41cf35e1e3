import type { Router } from "../../http/router.js";
import { type IcaRuntime, apiBase, icaRoute, v3Only } from "../ica-route.js";
import { vendorJson } from "../media-type.js";

/** `POST /api/tokens` (spec L12261): swaps the API key for a JWT. */
export function registerTokenRoutes(router: Router, rt: IcaRuntime): void {
  router.add(
    "POST",
    `${apiBase}/tokens`,
    icaRoute(rt, { media: v3Only, credentials: "api-key" }, (call) => vendorJson(200, call.version, { token: rt.auth.mintJwt(call.principal) })),
  );
}
