import type { Router } from "./http/router.js";
import type { SimAssumptions } from "./assumption-switches.js";
import type { SimClock, Scheduler } from "./clock.js";

/**
 * How long the asynchronous state changes take, in simulated milliseconds. Real ICA/BaseSpace take
 * minutes to days; the defaults are short so the demo finishes, and tests set them to 0 or advance
 * the clock. Each field names the behaviour it times; docs/simulator.md lists the sources.
 */
export interface SimTimings {
  /** ICA `:archive`: AVAILABLE → ARCHIVING now, → ARCHIVED after this. */
  icaArchiveMs: number;
  /** ICA `:unarchive`: ARCHIVED → UNARCHIVING now, → AVAILABLE after this. */
  icaUnarchiveMs: number;
  /** ICA `:delete`: → DELETING now, gone (404) after this. */
  icaDeleteMs: number;
  /** ICA data linking batch: INITIALIZED → RUNNING at once, terminal after this. */
  icaLinkBatchMs: number;
  /** ICA analysis created through the API: REQUESTED → QUEUED at once, → IN_PROGRESS after this. */
  icaAnalysisQueueMs: number;
  /** ICA analysis created through the API: IN_PROGRESS → SUCCEEDED/FAILED (outputs written) after this. */
  icaAnalysisRunMs: number;
  /** BaseSpace `POST /v2/archive`: IsArchived flips immediately (per the swagger), this is unused by default. */
  bsArchiveMs: number;
  /** BaseSpace `POST /v2/restore`: IsArchived=false after this (real: up to 48 h). */
  bsRestoreMs: number;
  /** Largest ICA pageSize honoured; larger values are clamped (real maximum is undocumented). */
  icaMaxPageSize: number;
  /** Lifetime of temporary S3 credentials (ICA: 36 h) and presigned URLs. */
  credentialsTtlMs: number;
}

export const defaultTimings: SimTimings = {
  icaArchiveMs: 2_000,
  icaUnarchiveMs: 5_000,
  icaDeleteMs: 1_000,
  icaLinkBatchMs: 500,
  icaAnalysisQueueMs: 1_000,
  icaAnalysisRunMs: 5_000,
  bsArchiveMs: 0,
  bsRestoreMs: 10_000,
  icaMaxPageSize: 1_000,
  credentialsTtlMs: 36 * 3600_000,
};

/** Temporary credentials scoped to one key prefix, as ICA's `:createTemporaryCredentials` issues them. */
export interface ScopedCredentials {
  accessKey: string;
  secretKey: string;
  sessionToken: string;
  region: string;
  bucket: string;
  /** Key prefix the credentials may touch, e.g. `<projectId>/fastq_manifests/run.csv`. */
  objectPrefix: string;
  readOnly: boolean;
  expiresAtMs: number;
}

/**
 * The simulated S3 bucket that backs ICA data. ICA routes issue credentials and presigned URLs through
 * it; the S3 routes call the write listeners so that uploaded bytes become an ICA file's content.
 */
export interface ObjectStore {
  readonly bucket: string;
  readonly region: string;
  issueCredentials(objectPrefix: string, opts: { readOnly: boolean }): ScopedCredentials;
  presignedUrl(method: "PUT" | "GET", key: string): string;
  put(key: string, bytes: Buffer): void;
  get(key: string): Buffer | undefined;
  delete(key: string): void;
  /** Called after every completed PutObject / CompleteMultipartUpload / presigned PUT. */
  onWrite(listener: (key: string, size: number) => void): void;
}

export const faultKinds = ["429", "500", "502", "503", "reset", "slow"] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultRule {
  /** `*`, a route name as in /__sim/stats (`GET /ica/rest/api/projects`), or a path prefix (`/v2/`). */
  route: string;
  /** Probability in [0, 1] that a matching request is answered with one of `kinds`. */
  rate: number;
  kinds: FaultKind[];
  retryAfterSeconds?: number;
  /** For `slow`: how long the response is held back. */
  slowMs?: number;
  /** Stop injecting after this many faults from this rule. */
  limit?: number;
}

export interface FaultConfig {
  seed: number;
  rules: FaultRule[];
  /** Added before every response (bench realism), plus up to `latencyJitterMs` more. */
  latencyMs: number;
  latencyJitterMs: number;
  /** Linking batch items for these data ids (or this share of all items) end FAILED. */
  linkItemFailures: { dataIds: string[]; rate: number };
  /** An upload to a PARTIAL ICA file of one of these names is answered 200, but the file stays PARTIAL. */
  uploadsStayPartial: { names: string[] };
  /** These source data ids vanish (a person deletes them) the moment a linking batch names them. */
  vanishBeforeLink: { dataIds: string[] };
}

/** Everything a simulated service needs, passed in — no module globals, so several simulators can coexist. */
export interface SimContext {
  clock: SimClock;
  scheduler: Scheduler;
  timings: SimTimings;
  objects: ObjectStore;
  faults(): FaultConfig;
  /** Which reading of each unconfirmed behaviour the services play (assumption-switches.ts). */
  assumptions: SimAssumptions;
  /** Deterministic random numbers in [0, 1) for ids and failures (seeded per simulator). */
  random(): number;
  /** The base URLs, known once the servers listen. */
  urls(): { icaUrl: string; basespaceUrl: string; s3Url: string };
}

/** One simulated service (ICA, BaseSpace): its routes, and what it adds to `/__sim/state`. */
export interface SimService {
  registerRoutes(router: Router): void;
  /** A stable, JSON-serialisable view of the whole state (sorted), hashed into the state digest. */
  snapshot(): unknown;
  /** Named counts for `/__sim/state` (linked items, files per project, archived, deleted, trash...). */
  counts(): Record<string, number | Record<string, number>>;
}
