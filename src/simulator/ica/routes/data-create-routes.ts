import { z } from "zod";
import type { Router, SimResponse } from "../../http/router.js";
import { NEW_FILE_STATUS } from "../assumptions.js";
import { type DataItem, type DataType, objectKeyOf } from "../data-item.js";
import { toData, toProjectData } from "../data-representation.js";
import type { ProjectEntry } from "../directory.js";
import { type IcaCall, type IcaRuntime, apiBase, icaRoute, idempotent, requireData, requireProject, v3Only } from "../ica-route.js";
import { asUuid } from "../ids.js";
import { vendorJson } from "../media-type.js";
import { ProblemError, badRequest } from "../problem.js";
import { readJsonBody } from "../request-body.js";
import { temporaryCredentialsRequest, toTempCredentials } from "../temporary-credentials.js";

/** The location fields every create body shares (`CreateFileData` L22125, `CreateFolder` L22245, ...). */
const placement = {
  name: z.string().min(1),
  folderId: z.string().nullish(),
  folderPath: z
    .string()
    .regex(/^\/(.*\/)?$/, 'must start and end with "/"')
    .nullish(),
};
const createFile = z.object({ ...placement, formatCode: z.string().nullish() });
const createData = createFile.extend({ dataType: z.enum(["FILE", "FOLDER"]) });
const createFolder = z.object(placement);
const createFileWithCredentials = createFile.extend({ temporaryCredentials: temporaryCredentialsRequest.nullish() });
const createFileWithUploadUrl = createFile.extend({ fileType: z.string().nullish(), hash: z.string().nullish() });

interface Placement {
  name: string;
  folderId?: string | null;
  folderPath?: string | null;
  formatCode?: string | null;
}

/** Resolves where new data goes, refuses an occupied path, and creates missing parent folders. */
function createAt(rt: IcaRuntime, call: IcaCall, project: ProjectEntry, body: Placement, dataType: DataType): DataItem {
  if (body.name.includes("/") || /\p{Cc}/u.test(body.name)) {
    throw badRequest(`name "${body.name}" must not contain "/" or control characters; put folders in folderPath`, { name: body.name });
  }
  if (body.folderId && body.folderPath) throw badRequest("send folderId or folderPath, not both");
  let folderPath = body.folderPath ?? "/";
  if (body.folderId) {
    const folder = requireData(rt, project, body.folderId);
    if (folder.dataType !== "FOLDER" || folder.owningProjectId !== project.id) {
      throw badRequest(`folderId ${body.folderId} is not a folder owned by project ${project.id}`, { folderId: body.folderId });
    }
    folderPath = folder.path;
  }
  const path = `${folderPath}${body.name}${dataType === "FOLDER" ? "/" : ""}`;
  const existing = rt.store.view(project.id).atPath(path);
  if (existing) {
    const status = rt.ctx.assumptions.is("ica.duplicate-path", "conflict") ? 409 : 400;
    throw new ProblemError(status, `${path} already exists in project ${project.id} (id ${existing.id}); use another name or delete it first`, { path });
  }
  const now = rt.ctx.clock.now();
  const creatorId = asUuid(call.principal.userId);
  return rt.store.create(
    {
      projectId: project.id,
      path,
      dataType,
      status: dataType === "FILE" ? NEW_FILE_STATUS : "AVAILABLE",
      timeCreatedMs: now,
      formatCode: body.formatCode ?? undefined,
      creatorId,
    },
    { status: "AVAILABLE", timeCreatedMs: now, creatorId },
  );
}

/**
 * Create endpoints (spec L5928, L12622-12868): deprecated `POST data`, `data:createFile`,
 * `data:createFileWithTemporaryCredentials`, `data:createFileWithUploadUrl`, `data:createFolder`.
 * All honour `Idempotency-Key`.
 */
export function registerDataCreateRoutes(router: Router, rt: IcaRuntime): void {
  const add = (operation: string, respond: (call: IcaCall, project: ProjectEntry) => SimResponse): void => {
    router.add(
      "POST",
      `${apiBase}/projects/{projectId}/${operation}`,
      icaRoute(rt, { media: v3Only }, (call) => {
        const project = requireProject(rt, call);
        return idempotent(rt, call, () => respond(call, project));
      }),
    );
  };

  add("data", (call, project) => {
    const body = readJsonBody(call.req, createData);
    return vendorJson(201, call.version, toProjectData(project.id, createAt(rt, call, project, body, body.dataType), rt));
  });
  add("data:createFile", (call, project) => {
    const item = createAt(rt, call, project, readJsonBody(call.req, createFile), "FILE");
    return vendorJson(201, call.version, toProjectData(project.id, item, rt));
  });
  add("data:createFolder", (call, project) => {
    const item = createAt(rt, call, project, readJsonBody(call.req, createFolder), "FOLDER");
    return vendorJson(201, call.version, toProjectData(project.id, item, rt));
  });
  add("data:createFileWithTemporaryCredentials", (call, project) => {
    const body = readJsonBody(call.req, createFileWithCredentials);
    const item = createAt(rt, call, project, body, "FILE");
    const tempCredentials = toTempCredentials(rt.ctx.objects, item, project.id, body.temporaryCredentials ?? {});
    return vendorJson(201, call.version, { data: toData(item, rt), projectId: project.id, tempCredentials });
  });
  add("data:createFileWithUploadUrl", (call, project) => {
    const item = createAt(rt, call, project, readJsonBody(call.req, createFileWithUploadUrl), "FILE");
    const uploadUrl = rt.ctx.objects.presignedUrl("PUT", objectKeyOf(item));
    return vendorJson(201, call.version, { data: toData(item, rt), projectId: project.id, uploadUrl });
  });
}
