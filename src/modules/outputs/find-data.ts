import { unlessNotFound } from "../../http/errors.js";
import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";

/** A data item as the project sees it now, or undefined when the project has no such item (404). */
export function findData(ica: IcaClient, projectId: string, dataId: string): Promise<IcaData | undefined> {
  return unlessNotFound(ica.getData(projectId, dataId));
}
