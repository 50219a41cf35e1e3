import type { Router, SimResponse } from "../../http/router.js";
import { type DataItem, objectKeyOf } from "../data-item.js";
import { type LifecycleAction, startLifecycleAction } from "../data-lifecycle.js";
import type { ProjectEntry } from "../directory.js";
import { type IcaCall, type IcaRuntime, apiBase, icaRoute, requireData, requireProject, v3Only } from "../ica-route.js";
import { vendorJson } from "../media-type.js";
import { badRequest, conflict } from "../problem.js";
import { readJsonBody } from "../request-body.js";
import { temporaryCredentialsRequest, toTempCredentials } from "../temporary-credentials.js";

/** `POST …/data/{dataId}:<action>` (spec L6894-7148): credentials, presigned URLs, archive/unarchive/delete. */
export function registerDataActionRoutes(router: Router, rt: IcaRuntime): void {
  const add = (action: string, respond: (call: IcaCall, project: ProjectEntry, item: DataItem) => SimResponse): void => {
    router.add(
      "POST",
      `${apiBase}/projects/{projectId}/data/{dataId}:${action}`,
      icaRoute(rt, { media: v3Only }, (call) => {
        const project = requireProject(rt, call);
        return respond(call, project, requireData(rt, project, call.req.params.dataId ?? ""));
      }),
    );
  };

  add("createTemporaryCredentials", (call, project, item) => {
    const request = readJsonBody(call.req, temporaryCredentialsRequest, { optional: true });
    return vendorJson(200, call.version, toTempCredentials(rt.ctx.objects, item, project.id, request));
  });

  // "The project identifier must match the project which owns the data. You can create both new files
  // and overwrite files in status 'partial'." (spec L6926)
  add("createUploadUrl", (call, project, item) => {
    if (item.owningProjectId !== project.id) throw badRequest(`${item.id} is owned by project ${item.owningProjectId}; upload through that project`);
    if (item.dataType !== "FILE") throw badRequest(`${item.path} is a folder; upload URLs are for files`);
    if (item.status !== "PARTIAL") throw conflict(`${item.path} is ${item.status}; only PARTIAL files can be uploaded to — create a new file instead`);
    return vendorJson(200, call.version, { url: rt.ctx.objects.presignedUrl("PUT", objectKeyOf(item)) });
  });

  add("createDownloadUrl", (call, _project, item) => {
    if (item.dataType !== "FILE") throw badRequest(`${item.path} is a folder; download URLs are for files ("Not applicable for Folder")`);
    if (item.status !== "AVAILABLE") {
      const hint = item.status === "ARCHIVED" ? "; unarchive it first" : "";
      throw conflict(`${item.path} is ${item.status}, only AVAILABLE files can be downloaded${hint}`);
    }
    return vendorJson(200, call.version, { url: rt.ctx.objects.presignedUrl("GET", objectKeyOf(item)) });
  });

  for (const action of ["archive", "unarchive", "delete"] satisfies LifecycleAction[]) {
    add(action, (_call, project, item) => {
      startLifecycleAction(rt.ctx, rt.store, project.id, item, action);
      return { status: 204 };
    });
  }
}
