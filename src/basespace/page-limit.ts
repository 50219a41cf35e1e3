/** What a page of a BaseSpace listing showed about ledger `bs.page-limit`. */
export interface PageLimitVerdict {
  verdict: "confirmed" | "contradicted";
  evidence: string;
}

/** The page size asked for when BaseSpace refuses a larger one: the limit its own UI and clients page by. */
export const fallbackPageLimit = 100;

/**
 * Ledger `bs.page-limit` (BaseSpace accepts `limit=1024` and fills pages up to it), read from the pages the
 * listings fetch anyway: `Paging.Limit` smaller than asked, or a page short of it before `TotalCount` is
 * reached, contradicts it; a page asked at 1024 that echoes it confirms it. The first contradiction wins.
 */
export class PageLimitWatch {
  private seen: PageLimitVerdict | undefined;

  /** `believed`: the page size the entry is about; only a page asked at it can confirm. */
  constructor(private readonly believed: number) {}

  page(route: string, asked: number, offset: number, page: { items: number; limit?: number | undefined; totalCount: number }): void {
    if (this.seen?.verdict === "contradicted") return;
    if (page.limit !== undefined && page.limit < asked) {
      this.contradict(`${route} asked for limit=${asked}, Paging.Limit says ${page.limit}`);
    } else if (page.items < asked && offset + page.items < page.totalCount) {
      this.contradict(`${route} asked for limit=${asked} got ${page.items} item(s) at offset ${offset} of ${page.totalCount}`);
    } else if (this.seen === undefined && asked === this.believed && page.limit === asked) {
      this.seen = { verdict: "confirmed", evidence: `${route} accepted limit=${asked} (Paging.Limit ${page.limit})` };
    }
  }

  /** A page asked with `asked` was refused with 400 and granted at the fallback limit. */
  refused(route: string, asked: number, message: string): void {
    this.contradict(`${route} with limit=${asked} answered 400 (${message}); limit=${fallbackPageLimit} was accepted`);
  }

  verdict(): PageLimitVerdict | undefined {
    return this.seen;
  }

  private contradict(evidence: string): void {
    this.seen = { verdict: "contradicted", evidence };
  }
}
