import { z } from "zod";
import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";

/** Marker and manifest files are a few KB; anything much larger is not what we think it is. */
const defaultMaxDownloadBytes = 1024 * 1024;

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

/**
 * `bsshoutput.json`: `{ "Projects": { "<key>": { "Name": "<BaseSpace project>", "Id": "<id>" } } }`. [REF]
 * reads only `Name`; BaseSpace writes the project's `Id` too, and when it is there the project is
 * identified by it (a name can be reused by a later project; an id cannot).
 */
const bsshOutputSchema = z.object({
  Projects: z.record(z.string(), z.object({ Name: z.string().min(1), Id: z.union([z.string().min(1), z.number()]).optional() })),
});

/** A BaseSpace project as bsshoutput.json names it. */
export interface BsshOutputProject {
  name: string;
  /** Absent in files that give the name only. */
  id?: string;
}

/**
 * The BaseSpace project names a bsshoutput.json names, deduplicated, in file order.
 * @internal exported for the tests
 */
export function parseBsshOutputProjects(text: string, source = "bsshoutput.json"): string[] {
  return [...new Set(parseBsshOutput(text, source).map((project) => project.name))];
}

/** The BaseSpace projects a bsshoutput.json names (name, and id when given), deduplicated, in file order. */
function parseBsshOutput(text: string, source = "bsshoutput.json"): BsshOutputProject[] {
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
  const projects = new Map<string, BsshOutputProject>();
  for (const { Name, Id } of Object.values(parsed.data.Projects)) {
    const project = Id === undefined ? { name: Name } : { name: Name, id: String(Id) };
    projects.set(`${project.name}\u0000${project.id ?? ""}`, project);
  }
  return [...projects.values()];
}

/** Downloads a bsshoutput.json and returns the BaseSpace projects it names. */
export async function readBsshOutputProjects(
  ica: IcaClient,
  projectId: string,
  file: Pick<IcaData, "id" | "path" | "sizeBytes">,
): Promise<BsshOutputProject[]> {
  const bytes = await downloadSmallFile(ica, projectId, file);
  return parseBsshOutput(bytes.toString("utf8"), file.path);
}
