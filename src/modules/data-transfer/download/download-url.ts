import { FatalTransferError } from "./ranged-get.js";

/** New URLs in a row without a byte fetched through any of them before the file is given up. */
const maxRefreshesWithoutProgress = 3;

/**
 * One file's presigned download URL, asked for when first needed and again when the store refuses
 * it (it expired). Parts in flight share it: the first to be refused asks for a new one, the others
 * find it already replaced. A URL refused again and again without any progress means the key lost
 * access, not an expiry: the file fails then.
 */
export class DownloadUrl {
  private url: Promise<string> | undefined;
  private refusedInARow = 0;
  /** URLs asked for after the first (the report says how many expired). */
  refreshes = 0;

  constructor(private readonly create: () => Promise<string>) {}

  current(): Promise<string> {
    this.url ??= this.create();
    return this.url;
  }

  /** `stale` was refused with `cause`; unless another part already replaced it, ask ICA for a new one. */
  async refresh(stale: string, cause: Error): Promise<void> {
    if ((await this.current()) !== stale) return;
    this.refusedInARow += 1;
    if (this.refusedInARow > maxRefreshesWithoutProgress) {
      throw new FatalTransferError(`${cause.message}, and ${maxRefreshesWithoutProgress} new URLs in a row were refused too: check that the key still has access`);
    }
    this.refreshes += 1;
    this.url = this.create();
  }

  /** A part came through: the next refusal is an expiry again. */
  progressed(): void {
    this.refusedInARow = 0;
  }
}
