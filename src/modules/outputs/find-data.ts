import { NotFoundError } from "../../http/errors.js";
import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";

/** A data item as the project sees it now, or undefined when the project has no such item (404). */
export async function findData(ica: IcaClient, projectId: string, dataId: string): Promise<IcaData | undefined> {
  try {
    return await ica.getData(projectId, dataId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
