import { S3Client } from "@aws-sdk/client-s3";
import type { IcaTempCredentials } from "../../../ica/schemas.js";
import { keepAliveAgents } from "../../../http/keep-alive-agents.js";
import { FatalTransferError, type ObjectLocation } from "./ranged-get-object.js";

/** New credentials in a row without a byte fetched with any of them before the file is given up. */
const maxRefreshesWithoutProgress = 3;
/** No byte for this long ends the GET (the part is tried again): a stalled connection, not a slow one. */
const stallMs = 60_000;
const connectMs = 15_000;
/**
 * Every file's client sends through these, so connections to the store are reused from file to file.
 * The clients are therefore never destroyed: `S3Client.destroy()` would close the shared agents.
 */
const agents = keepAliveAgents(64);

/**
 * An S3 client for the object ICA's temporary credentials cover (their object prefix is the file's
 * key). `endpoint` is for the simulator and S3-compatible test stores, which address buckets by path;
 * without it the SDK talks to AWS's regional endpoint.
 */
function locate(credentials: IcaTempCredentials, endpoint: string | undefined): ObjectLocation {
  const client = new S3Client({
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKey, secretAccessKey: credentials.secretKey, sessionToken: credentials.sessionToken },
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    // One retry policy, the part's own (download-file.ts): it also covers a body cut short, which the SDK does not retry.
    maxAttempts: 1,
    // The bytes are verified against ICA's ETag after the download; a per-GET checksum would hash them twice more.
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { ...agents, connectionTimeout: connectMs, socketTimeout: stallMs },
  });
  return { client, bucket: credentials.bucket, key: credentials.objectPrefix };
}

/**
 * One file's temporary credentials, asked for when first needed and again when the store refuses
 * them (they expired). Parts in flight share them: the first to be refused asks for new ones, the
 * others find them already replaced. Credentials refused again and again without any progress mean
 * the key lost access, not an expiry: the file fails then.
 */
export class ObjectAccess {
  private location: Promise<ObjectLocation> | undefined;
  private refusedInARow = 0;
  /** Credentials asked for after the first (the report says how many expired). */
  refreshes = 0;

  constructor(
    private readonly create: () => Promise<IcaTempCredentials>,
    private readonly endpoint: string | undefined,
  ) {}

  current(): Promise<ObjectLocation> {
    this.location ??= this.create().then((credentials) => locate(credentials, this.endpoint));
    return this.location;
  }

  /** `stale` was refused with `cause`; unless another part already replaced it, ask ICA for new credentials. */
  async refresh(stale: ObjectLocation, cause: Error): Promise<void> {
    if ((await this.current()) !== stale) return;
    this.refusedInARow += 1;
    if (this.refusedInARow > maxRefreshesWithoutProgress) {
      throw new FatalTransferError(`${cause.message}, and ${maxRefreshesWithoutProgress} new credentials in a row were refused too: check that the key still has access`);
    }
    this.refreshes += 1;
    this.location = undefined;
  }

  /** A part came through: the next refusal is an expiry again. */
  progressed(): void {
    this.refusedInARow = 0;
  }
}
