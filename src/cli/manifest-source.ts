import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ProjectRef } from "../config/index.js";
import type { IcaClient } from "../ica/client.js";
import { DownloadInputError, findFileByPath } from "../modules/data-transfer/index.js";
import { resolveProject } from "../modules/launch/index.js";
import { downloadSmallFile, findData } from "../modules/outputs/index.js";
import { MANIFEST_FOLDER } from "../orchestrator/plan/manifest.js";

/** A manifest of 100,000 files is ~25 MB; more than this is not a manifest. */
const maxManifestBytes = 64 * 1024 * 1024;
const dataIdPattern = /^fil\.[0-9a-z]+$/i;

/** The text of a local manifest, or undefined when `ref` names no local file. */
export async function readLocalManifest(cwd: string, ref: string): Promise<string | undefined> {
  try {
    return await readFile(resolve(cwd, ref), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new DownloadInputError(`cannot read the manifest ${ref} (${code ?? String(error)}): pass a readable download_manifest.csv`);
  }
}

const refText = (ref: ProjectRef): string => ("id" in ref ? ref.id : ref.name);

/**
 * A manifest in the destination project, by data id (`fil.…`), by path, or by file name (looked for
 * in /fastq_manifests/, where the tool uploads them). Returns its text and where it came from.
 */
export async function readIcaManifest(ica: IcaClient, destination: ProjectRef | undefined, ref: string): Promise<{ text: string; source: string }> {
  if (destination === undefined) {
    throw new DownloadInputError(
      `${ref} is not a local file; to read it from ICA, name the project it is in: --destination_project_name NAME (or --destination_project_id ID)`,
    );
  }
  const project = await resolveProject(ica, refText(destination));
  const path = ref.startsWith("/") ? ref : `${MANIFEST_FOLDER}${ref}`;
  const file = dataIdPattern.test(ref) ? await findData(ica, project.id, ref) : await findFileByPath(ica, project.id, path);
  if (!file) {
    throw new DownloadInputError(
      `${ref} is neither a local file nor a file of ICA project ${project.name} (looked for ${dataIdPattern.test(ref) ? ref : path}): check the name, or pass the manifest's path or data id`,
    );
  }
  const bytes = await downloadSmallFile(ica, project.id, file, maxManifestBytes);
  return { text: bytes.toString("utf8"), source: `${file.path} in ${project.name}` };
}
