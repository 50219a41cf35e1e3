// Recognisable secrets and the check that none of them leaks into anything the tool writes or prints.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** Every reliability scenario runs with these, so a leak is found by a plain substring search. */
export const reliabilityApiKey = "REL-ICA-KEY-7c41e0b9f2d35a86";
export const reliabilityToken = "REL-BS-TOKEN-3e9a51c07db24f68";

/** Query parameters of a presigned S3 URL that grant access by themselves. */
const presignedSecretParameters = ["X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Credential"];
/** Fields of ICA's temporary-credentials answers (`awsTempCredentials`, `rclone`...). */
const credentialFields = new Set(["accessKey", "secretKey", "sessionToken"]);

/**
 * The secrets of one scenario: the configured key and token, plus every temporary S3 credential and
 * presigned-URL signature the API handed out, taken from the answers as they passed the proxy.
 */
export class SecretSet {
  private readonly values = new Map<string, string>();

  constructor(apiKey: string, token: string) {
    this.add(apiKey, "ICA API key");
    this.add(token, "BaseSpace token");
  }

  add(value: string | null | undefined, kind: string): void {
    // Short values (a region, "true") would match by accident; real secrets are long.
    if (value && value.length >= 12 && !this.values.has(value)) this.values.set(value, kind);
  }

  /** Scans a JSON answer body for presigned URLs and credential objects. */
  collectFromBody(body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    this.walk(parsed);
  }

  /** How many temporary credentials / signatures were seen (a scenario asserts some were). */
  issuedCount(): number {
    return [...this.values.values()].filter((kind) => kind.startsWith("temporary") || kind.startsWith("presigned")).length;
  }

  entries(): Array<[string, string]> {
    return [...this.values.entries()];
  }

  private walk(value: unknown, key?: string): void {
    if (typeof value === "string") {
      if (key !== undefined && credentialFields.has(key)) this.add(value, `temporary S3 credential (${key})`);
      if (value.includes("X-Amz-") && URL.canParse(value)) {
        const params = new URL(value).searchParams;
        for (const name of presignedSecretParameters) {
          const raw = params.get(name);
          // The credential parameter is `<access key>/<date>/<region>/s3/aws4_request`: the key is the secret part.
          this.add(name === "X-Amz-Credential" ? raw?.split("/")[0] : raw, `presigned URL ${name}`);
        }
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item) => this.walk(item));
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) this.walk(v, k);
    }
  }
}

/** Every file under `dir` (journal, audit log, reports, log, manifests, table), by relative path. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (sub: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = sub === "" ? entry.name : join(sub, entry.name);
      if (entry.isDirectory()) await visit(rel);
      else if (entry.isFile()) out[rel] = await readFile(join(dir, rel), "utf8");
    }
  };
  await visit("");
  return out;
}

/** Where each secret occurs, as `<place>: <kind>` (the secret itself is not repeated in the failure). */
export function findLeaks(texts: Record<string, string>, secrets: SecretSet): string[] {
  const leaks: string[] = [];
  for (const [place, text] of Object.entries(texts)) {
    for (const [secret, kind] of secrets.entries()) {
      if (text.includes(secret) || text.includes(encodeURIComponent(secret))) leaks.push(`${place}: ${kind}`);
    }
  }
  return leaks;
}

/** What a thrown value shows wherever it may end up: message, stack and JSON form. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let json = "";
  try {
    json = JSON.stringify(error);
  } catch {
    json = "";
  }
  return `${error.message}\n${error.stack ?? ""}\n${json}`;
}
