import { DATASET_TYPE, TOKEN_VISIBLE_SUFFIX, TRASH_STATUS_IN_TRASH } from "./assumptions.js";
import { toDotNetDate } from "./dotnet-date.js";
import type { BsDataset, BsProject, BsRun, BsToken, BsTrashEntry, BsUser } from "./model.js";
import type { BasespaceStore } from "./store.js";

/**
 * API JSON for the simulator's state, field names and nesting as in the v2 swagger definitions named
 * in each function's comment. Hrefs are absolute, as BaseSpace sends them.
 */
export class Shapes {
  constructor(
    private readonly store: BasespaceStore,
    private readonly baseUrl: () => string,
  ) {}

  private href(path: string): string {
    return `${this.baseUrl().replace(/\/+$/, "")}/${path}`;
  }

  /** V1pre3UserCompact */
  userCompact(userId: string): Record<string, unknown> {
    const user = this.store.users.get(userId);
    return { Id: userId, Href: this.href(`v2/users/${userId}`), Name: user?.name ?? userId };
  }

  /** `GET /v1pre3/users/current` Response, and the base of V2User. */
  user(user: BsUser, version: "v1pre3" | "v2", nowMs: number): Record<string, unknown> {
    return {
      Id: user.id,
      Href: this.href(`${version}/users/${user.id}`),
      Name: user.name,
      Email: user.email,
      DateCreated: toDotNetDate(this.store.userCreatedMs),
      DateLastActive: toDotNetDate(nowMs),
      HrefRuns: this.href(`${version}/users/${user.id}/runs`),
      HrefProjects: this.href(`${version}/users/${user.id}/projects`),
    };
  }

  /** V2User */
  v2User(user: BsUser, nowMs: number): Record<string, unknown> {
    return { ...this.user(user, "v2", nowMs), Roles: [], IsWorkgroup: false };
  }

  /** [CSSDK] AccessTokenDetails (v1pre3); the token is masked (assumptions.ts). */
  tokenDetails(token: BsToken, nowMs: number): Record<string, unknown> {
    const user = this.store.users.get(token.userId);
    return {
      Id: token.id,
      Href: this.href(`v1pre3/oauthv2/token/${token.id}`),
      AccessToken: `****${token.token.slice(-TOKEN_VISIBLE_SUFFIX)}`,
      UserResourceOwner: user ? this.user(user, "v1pre3", nowMs) : this.userCompact(token.userId),
      Status: "Active",
      DateCreated: toDotNetDate(this.store.userCreatedMs),
      Scopes: [...token.scopes],
    };
  }

  /** V1pre3ProjectCompact; TotalSize sums the project's datasets outside the trash. */
  projectCompact(project: BsProject): Record<string, unknown> {
    const summary = this.store.projectSummary(project);
    return {
      Id: project.id,
      Href: this.href(`v2/projects/${project.id}`),
      Name: project.name,
      UserOwnedBy: this.userCompact(project.ownerId),
      DateCreated: toDotNetDate(project.createdMs),
      DateModified: toDotNetDate(summary.modifiedMs),
      HasCollaborators: false,
      IsDeleted: false,
      TotalSize: summary.totalSize,
    };
  }

  /** V1pre3Project */
  project(project: BsProject): Record<string, unknown> {
    return { ...this.projectCompact(project), HrefDatasets: this.href(`v2/projects/${project.id}/datasets`) };
  }

  /** V2DatasetCompact */
  datasetCompact(d: BsDataset): Record<string, unknown> {
    const project = d.projectId === undefined ? undefined : this.store.projects.get(d.projectId);
    return {
      Id: d.id,
      Href: this.href(`v2/datasets/${d.id}`),
      HrefFiles: this.href(`v2/datasets/${d.id}/files`),
      Name: d.name,
      DateCreated: toDotNetDate(d.createdMs),
      DateModified: toDotNetDate(d.modifiedMs),
      ...(project ? { Project: this.projectCompact(project) } : {}),
      TotalSize: d.sizeBytes,
      IsDeleted: d.trashId !== undefined,
      IsArchived: d.isArchived,
      IsFileDataDeleted: false,
      UserOwnedBy: this.userCompact(d.ownerId),
      DatasetType: { ...DATASET_TYPE, Href: this.href(`v2/datasettypes/${DATASET_TYPE.Id}`), ConformsToIds: [] },
      UploadStatus: "Complete",
    };
  }

  /** V2Dataset */
  dataset(d: BsDataset): Record<string, unknown> {
    return { ...this.datasetCompact(d), ValidationsPerformed: [] };
  }

  /** V2RunCompact (also the body of V2Run: the simulator has no SequencingStats to add). */
  v2Run(r: BsRun): Record<string, unknown> {
    return {
      Id: r.id,
      Href: this.href(`v2/runs/${r.id}`),
      HrefFiles: this.href(`v2/runs/${r.id}/files`),
      Name: r.name,
      ExperimentName: r.experimentName,
      DateCreated: toDotNetDate(r.createdMs),
      DateModified: toDotNetDate(r.modifiedMs),
      Status: r.status,
      UserOwnedBy: this.userCompact(r.ownerId),
      TotalSize: r.sizeBytes,
      UploadStatus: "Completed",
      IsDeleted: r.trashId !== undefined,
      IsFileDataDeleted: false,
      IsArchived: r.isArchived,
      IsZipping: false,
      IsZipped: false,
      IsUnzipping: false,
      V1Pre3Id: r.id,
    };
  }

  /** V1pre3RunCompact */
  v1pre3Run(r: BsRun): Record<string, unknown> {
    return {
      Id: r.id,
      Href: this.href(`v1pre3/runs/${r.id}`),
      Name: r.name,
      ExperimentName: r.experimentName,
      Status: r.status,
      DateCreated: toDotNetDate(r.createdMs),
      DateModified: toDotNetDate(r.modifiedMs),
      UserOwnedBy: this.userCompact(r.ownerId),
      TotalSize: r.sizeBytes,
      IsDeleted: r.trashId !== undefined,
      IsArchived: r.isArchived,
      IsFileDataDeleted: false,
      IsZipping: false,
      IsZipped: false,
      IsUnzipping: false,
    };
  }

  /** V1pre3TrashItemCompact */
  trashItemCompact(e: BsTrashEntry, trashStatus: string = TRASH_STATUS_IN_TRASH): Record<string, unknown> {
    const item = e.item;
    return {
      Id: e.trashId,
      Name: item.name,
      Href: this.href(`v2/trash/${e.trashId}`),
      DateDeleted: toDotNetDate(e.deletedMs),
      TotalSize: item.sizeBytes,
      ...(item.kind === "dataset" ? { DeletedDataset: this.datasetCompact(item) } : { DeletedRun: this.v1pre3Run(item) }),
      IsVisibleInTrash: true,
      ChildCount: 0,
      CompletedChildEvents: 0,
      TrashStatus: trashStatus,
      HrefPostRestoreFromTrash: this.href(`v2/trash/${e.trashId}/restorefromtrash`),
      Includes: [],
    };
  }

  /** V1pre3TrashItem */
  trashItem(e: BsTrashEntry, trashStatus?: string): Record<string, unknown> {
    return {
      ...this.trashItemCompact(e, trashStatus),
      UserDeletedBy: this.userCompact(e.deletedByUserId),
      IncludedSamples: [],
      IncludedAppResults: [],
      IncludedAppSessions: [],
    };
  }
}
