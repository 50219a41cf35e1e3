/**
 * S3 choices where the simulator departs from (or has to pick within) the real service. docs/simulator.md
 * (section s3) lists them. Protocol facts (SigV4, multipart rules, XML shapes) are AWS's, not assumptions.
 */

/** The one bucket behind every ICA project; ICA's real bucket names are per region and not documented. */
export const BUCKET = "ica-sim-data";

/** ICA's US region stores in us-east-1; requests signed for another region are refused, as S3 does. */
export const REGION = "us-east-1";

/** Every part but the last must be at least 5 MiB (S3's EntityTooSmall rule, which lib-storage respects). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** SigV4 query signing allows at most 7 days; presigned URLs live min(credentialsTtlMs, this). */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * Largest accepted gap between a request's X-Amz-Date and the simulated clock. S3 refuses 15 min; here it is
 * unlimited because clients sign with the real clock while tests move the simulated clock days ahead.
 * Credential and presigned-URL expiry are still checked against the simulated clock.
 */
export const MAX_REQUEST_SKEW_MS = Number.POSITIVE_INFINITY;

/**
 * A missing or wrong x-amz-security-token is 403 InvalidToken. S3 answers 400 InvalidToken for a malformed
 * token and 403 InvalidAccessKeyId for a missing one; one 403 code keeps "refused credentials" uniform.
 */
export const BAD_TOKEN = { status: 403, code: "InvalidToken" } as const;

/**
 * Expired temporary credentials: 403 ExpiredToken (S3 documents the code with 400; clients treat any
 * ExpiredToken alike, and 403 groups it with the other refusals).
 */
export const EXPIRED_TOKEN = { status: 403, code: "ExpiredToken" } as const;

/**
 * Flexible checksums the simulator verifies. CRC64NVME (used by the SDK only when asked for) is refused
 * with a message, rather than accepted unchecked.
 */
export const VERIFIED_CHECKSUMS = ["crc32", "crc32c", "sha1", "sha256"] as const;

/** `put()` from ICA code does not notify onWrite listeners: they exist to see client uploads, not ICA's own writes. */
export const PUT_NOTIFIES_LISTENERS = false;

/**
 * How ICA's uploads split a file into parts, which decides every multipart ETag (`objectETag`). Not
 * documented; these are the AWS CLI / s3transfer defaults (multipart from 8 MiB, 8 MiB parts, the part size
 * doubled until the file fits in 10,000 parts), which match the 8 MiB threshold OrcaBus observes on real
 * ICA data. ICA's help page says files "under 16 MB" carry a plain MD5; with these numbers the line is 8 MiB.
 */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
export const MULTIPART_THRESHOLD_BYTES = 8 * 1024 * 1024;
export const MAX_UPLOAD_PARTS = 10_000;

/**
 * ICA's `objectETag` is "the file's ETag, as received from the cloud provider"; the spec has no example.
 * The simulator lists it without the quotes S3 puts around the ETag header (as OrcaBus' `\w+-\d+` match
 * implies); clients compare the two with quotes stripped.
 */
export const OBJECT_ETAG_QUOTED = false;
