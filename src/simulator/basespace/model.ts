/** The simulator's BaseSpace state, in the simulator's own terms; shapes.ts turns it into API JSON. */

export interface BsUser {
  id: string;
  name: string;
  email: string;
}

export interface BsToken {
  /** Sequence-based id; the token string itself never leaves the store. */
  id: string;
  token: string;
  userId: string;
  scopes: string[];
}

export interface BsProject {
  id: string;
  name: string;
  ownerId: string;
  createdMs: number;
}

export type BsItemKind = "dataset" | "run";

interface BsItemBase {
  id: string;
  name: string;
  ownerId: string;
  createdMs: number;
  modifiedMs: number;
  sizeBytes: number;
  isArchived: boolean;
  /** A restore was accepted and has not completed yet (IsArchived stays true meanwhile). */
  restorePending: boolean;
  /** Set while the item is in the trash. */
  trashId: string | undefined;
}

export interface BsDataset extends BsItemBase {
  kind: "dataset";
  /** Undefined for a fixture trash entry whose dataset is not otherwise described. */
  projectId: string | undefined;
}

export interface BsRun extends BsItemBase {
  kind: "run";
  experimentName: string;
  status: string;
}

export type BsItem = BsDataset | BsRun;

export interface BsTrashEntry {
  trashId: string;
  item: BsItem;
  deletedMs: number;
  deletedByUserId: string;
}

/** Who is calling: resolved from the access token. */
export interface Caller {
  user: BsUser;
  token: BsToken;
}
