import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { SimClock } from "../clock.js";
import type { IcaFixture } from "../fixtures/format.js";
import type { SimRequest } from "../http/router.js";
import { JWT_TTL_MS } from "./assumptions.js";
import type { Principal } from "./directory.js";
import { ProblemError } from "./problem.js";

const unauthorized = (detail: string): ProblemError =>
  new ProblemError(401, detail, {}, { "www-authenticate": 'Bearer realm="ica", ApiKey header="X-API-Key"' });

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * `X-API-Key` (fixture keys, each bound to a tenant and user) or `Authorization: Bearer <JWT>` minted by
 * `POST /api/tokens` (spec security L31-33). JWTs are HS256-signed with a per-simulator secret and expire
 * after {@link JWT_TTL_MS} of simulated time. Messages never echo the presented credential.
 */
export class Authenticator {
  private readonly keys = new Map<string, Principal>();
  private readonly secret = randomBytes(32);

  constructor(
    fixture: IcaFixture,
    private readonly clock: SimClock,
  ) {
    for (const k of fixture.apiKeys) this.keys.set(k.key, { tenantId: k.tenantId, userId: k.userId });
  }

  /** Any API route: a valid JWT or API key. */
  authenticate(req: SimRequest): Principal {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(" ");
      if (scheme?.toLowerCase() !== "bearer" || !token) {
        throw unauthorized("Authorization must be \"Bearer <JWT>\" (get one from POST /api/tokens) — or send X-API-Key instead");
      }
      return this.verifyJwt(token);
    }
    return this.fromApiKey(req);
  }

  /** `POST /api/tokens` accepts only the API key (Basic auth needs users' passwords, which fixtures do not have). */
  fromApiKey(req: SimRequest): Principal {
    const key = req.headers["x-api-key"];
    if (typeof key !== "string" || key === "") {
      throw unauthorized("no credentials: send the X-API-Key header or Authorization: Bearer <JWT>");
    }
    const principal = this.keys.get(key);
    if (!principal) throw unauthorized("the X-API-Key is not a valid API key; check the key in your configuration");
    return principal;
  }

  mintJwt(principal: Principal): string {
    const nowSec = Math.floor(this.clock.now() / 1000);
    const unsigned = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url({
      iss: "ica-simulator",
      sub: principal.userId,
      tid: principal.tenantId,
      amr: ["apikey"],
      iat: nowSec,
      exp: nowSec + Math.floor(JWT_TTL_MS / 1000),
    })}`;
    return `${unsigned}.${this.sign(unsigned)}`;
  }

  private verifyJwt(token: string): Principal {
    const parts = token.split(".");
    const invalid = unauthorized("the bearer token is not a JWT issued by POST /api/tokens; request a new one");
    if (parts.length !== 3) throw invalid;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2] as string);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
    const claims = JSON.parse(Buffer.from(parts[1] as string, "base64url").toString("utf8")) as {
      sub: string;
      tid: string;
      exp: number;
    };
    if (claims.exp * 1000 <= this.clock.now()) throw unauthorized("the JWT has expired; request a new one from POST /api/tokens");
    return { tenantId: claims.tid, userId: claims.sub };
  }

  private sign(unsigned: string): string {
    return createHmac("sha256", this.secret).update(unsigned).digest("base64url");
  }
}
