import type { BsRoute } from "../route-kit.js";
import type { RouteDeps } from "./route-deps.js";

/** Who am I and what may my token do: any valid token may ask, whatever its scopes. */
export function identityRoutes({ shapes, clock }: RouteDeps): BsRoute[] {
  return [
    {
      method: "GET",
      path: "/v1pre3/users/current",
      api: "v1pre3",
      scopes: null,
      handle: (_req, caller) => ({ body: shapes.user(caller.user, "v1pre3", clock.now()) }),
    },
    {
      method: "GET",
      path: "/v1pre3/oauthv2/token/current",
      api: "v1pre3",
      scopes: null,
      handle: (_req, caller) => ({ body: shapes.tokenDetails(caller.token, clock.now()) }),
    },
    {
      method: "GET",
      path: "/v2/users/current",
      api: "v2",
      scopes: null,
      handle: (_req, caller) => ({ body: shapes.v2User(caller.user, clock.now()) }),
    },
  ];
}
