import { z } from "zod";
import type { ObjectStore } from "../context.js";
import { RCLONE_STORAGE_TYPE, SERVER_SIDE_ENCRYPTION, WRITE_CREDENTIALS_ONLY_IN_OWNING_PROJECT } from "./assumptions.js";
import { type DataItem, objectKeyOf } from "./data-item.js";
import { badRequest } from "./problem.js";

/** `CreateTemporaryCredentials` (spec L19230). */
export const temporaryCredentialsRequest = z.object({
  credentialsFormat: z.enum(["RCLONE"]).nullish(),
  readOnlyCredentials: z.boolean().nullish(),
});
type TemporaryCredentialsRequest = z.output<typeof temporaryCredentialsRequest>;

/**
 * `TempCredentials` (spec L19222) scoped to the data's object prefix `<owningProjectId><path>`:
 * `awsTempCredentials`, or `rcloneTempCredentials` for `credentialsFormat: RCLONE`. As in ICA the S3
 * endpoint is not part of them; clients of the simulator point their S3 client at its S3 URL.
 */
export function toTempCredentials(objects: ObjectStore, item: DataItem, projectId: string, request: TemporaryCredentialsRequest): Record<string, unknown> {
  const readOnly = request.readOnlyCredentials ?? false;
  if (!readOnly && WRITE_CREDENTIALS_ONLY_IN_OWNING_PROJECT && item.owningProjectId !== projectId) {
    throw badRequest(`${item.id} is linked from project ${item.owningProjectId}; ask for readOnlyCredentials: true, or write in the owning project`);
  }
  const c = objects.issueCredentials(objectKeyOf(item), { readOnly });
  if (request.credentialsFormat !== "RCLONE") {
    return {
      awsTempCredentials: {
        accessKey: c.accessKey,
        secretKey: c.secretKey,
        sessionToken: c.sessionToken,
        region: c.region,
        bucket: c.bucket,
        objectPrefix: c.objectPrefix,
        serverSideEncryptionAlgorithm: SERVER_SIDE_ENCRYPTION,
      },
    };
  }
  return {
    rcloneTempCredentials: {
      // The keys [REF] reads (access_key_id, secret_access_key, session_token, region) plus rclone's own.
      config: {
        type: "s3",
        provider: "AWS",
        access_key_id: c.accessKey,
        secret_access_key: c.secretKey,
        session_token: c.sessionToken,
        region: c.region,
        server_side_encryption: SERVER_SIDE_ENCRYPTION,
      },
      filePathPrefix: `${c.bucket}/${c.objectPrefix}`,
      storageType: RCLONE_STORAGE_TYPE,
      expirationTime: new Date(c.expiresAtMs).toISOString(),
    },
  };
}
