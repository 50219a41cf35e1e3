import type { ScopedCredentials, SimContext } from "../context.js";
import { BUCKET, REGION } from "./assumptions.js";
import { BASE64_CHARS, randomText, UPPER_BASE32 } from "./random-text.js";

/** Temporary credentials the simulator has handed out (STS-style `ASIA…` keys with a session token). */
export class CredentialRegistry {
  private readonly byAccessKey = new Map<string, ScopedCredentials>();

  constructor(private readonly ctx: Pick<SimContext, "clock" | "timings" | "random">) {}

  issue(objectPrefix: string, opts: { readOnly: boolean }): ScopedCredentials {
    const { random } = this.ctx;
    let accessKey = `ASIA${randomText(random, UPPER_BASE32, 16)}`;
    while (this.byAccessKey.has(accessKey)) accessKey = `ASIA${randomText(random, UPPER_BASE32, 16)}`;
    const credentials: ScopedCredentials = {
      accessKey,
      secretKey: randomText(random, BASE64_CHARS, 40),
      // Real session tokens are long base64 with `+` and `/`: a client must encode them properly.
      sessionToken: `IQoJb3JpZ2luX2Vj${randomText(random, BASE64_CHARS, 176)}`,
      region: REGION,
      bucket: BUCKET,
      objectPrefix,
      readOnly: opts.readOnly,
      expiresAtMs: this.ctx.clock.now() + this.ctx.timings.credentialsTtlMs,
    };
    this.byAccessKey.set(accessKey, credentials);
    return credentials;
  }

  find(accessKey: string): ScopedCredentials | undefined {
    return this.byAccessKey.get(accessKey);
  }

  get size(): number {
    return this.byAccessKey.size;
  }
}
