import { z } from "zod";
import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";

/** Marker and manifest files are a few KB; anything much larger is not what we think it is. */
export const defaultMaxDownloadBytes = 1024 * 1024;

/**
 * Content of a small file: `:createDownloadUrl` then a GET of the presigned URL (no API key sent there).
 * The size is checked first so a mistaken id cannot pull gigabytes into memory.
 */
export async function downloadSmallFile(
  ica: IcaClient,
  projectId: string,
  file: Pick<IcaData, "id" | "path" | "sizeBytes">,
  maxBytes: number = defaultMaxDownloadBytes,
): Promise<Buffer> {
  if (file.sizeBytes !== null && file.sizeBytes > maxBytes) {
    throw new Error(`${file.path} is ${file.sizeBytes} bytes, more than the ${maxBytes} bytes read into memory; download it to disk instead`);
  }
  return ica.downloadFromUrl(await ica.createDownloadUrl(projectId, file.id));
}

/** `bsshoutput.json`: `{ "Projects": { "<key>": { "Name": "<BaseSpace project>" } } }` ([REF]). */
const bsshOutputSchema = z.object({
  Projects: z.record(z.string(), z.object({ Name: z.string().min(1) })),
});

/** The BaseSpace project names a bsshoutput.json names, deduplicated, in file order. */
export function parseBsshOutputProjects(text: string, source = "bsshoutput.json"): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON; cannot tell which BaseSpace projects hold this analysis`);
  }
  const parsed = bsshOutputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source} has no usable Projects.<key>.Name (at ${issue?.path.join(".") || "(root)"}: ${issue?.message})`);
  }
  return [...new Set(Object.values(parsed.data.Projects).map((p) => p.Name))];
}

/** Downloads a bsshoutput.json and returns the BaseSpace project names in it. */
export async function readBsshOutputProjects(
  ica: IcaClient,
  projectId: string,
  file: Pick<IcaData, "id" | "path" | "sizeBytes">,
): Promise<string[]> {
  const bytes = await downloadSmallFile(ica, projectId, file);
  return parseBsshOutputProjects(bytes.toString("utf8"), file.path);
}
