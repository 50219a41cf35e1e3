import { describe, expect, it } from "vitest";
import { InvalidResponseError } from "../../src/http/errors.js";
import { allOffsetItems, cursorItems, offsetItems } from "../../src/http/paging.js";

const endpoint = { service: "ica" as const, method: "GET", route: "/api/projects" };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("cursorItems", () => {
  it("follows tokens, skips over an empty middle page, stops on an empty or null token", async () => {
    const pages: Record<string, { items: number[]; nextPageToken?: string | null }> = {
      start: { items: [1, 2], nextPageToken: "a" },
      a: { items: [], nextPageToken: "b" },
      b: { items: [3], nextPageToken: "" },
    };
    const asked: (string | undefined)[] = [];
    const items = await collect(
      cursorItems(endpoint, async (token) => {
        asked.push(token);
        return pages[token ?? "start"] as { items: number[] };
      }),
    );
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, "a", "b"]);
    expect(await collect(cursorItems(endpoint, async () => ({ items: [7], nextPageToken: null })))).toEqual([7]);
  });

  it("throws on a repeated token instead of looping forever", async () => {
    const loop = cursorItems(endpoint, async (token) => ({ items: [token ?? "first"], nextPageToken: "same" }));
    await expect(collect(loop)).rejects.toThrow(InvalidResponseError);
    await expect(collect(cursorItems(endpoint, async () => ({ items: [], nextPageToken: "x" })))).rejects.toThrow(
      /nextPageToken.*repeats a token/,
    );
  });

  it("fetches lazily: nothing beyond what the caller consumed", async () => {
    let calls = 0;
    const it = cursorItems(endpoint, async (token) => {
      calls += 1;
      return { items: [token ?? "p0"], nextPageToken: `${token ?? ""}n` };
    });
    for await (const item of it) {
      if (item === "n") break;
    }
    expect(calls).toBe(2);
  });
});

describe("offsetItems", () => {
  it("stops at the total even when the server returns fewer than asked", async () => {
    const all = Array.from({ length: 7 }, (_, i) => i);
    const offsets: number[] = [];
    const items = await collect(
      offsetItems(
        async (offset) => {
          offsets.push(offset);
          return { items: all.slice(offset, offset + 2), totalCount: all.length };
        },
        { pageSize: 3 },
      ),
    );
    expect(items).toEqual(all);
    expect(offsets).toEqual([0, 2, 4, 6]);
  });

  it("without a total, a short page is the last", async () => {
    const all = [1, 2, 3, 4, 5];
    const items = await collect(offsetItems(async (offset) => ({ items: all.slice(offset, offset + 2) }), { pageSize: 2 }));
    expect(items).toEqual(all);
  });

  it("refuses to page past maxOffset", async () => {
    const pages = offsetItems(async () => ({ items: [1, 2] }), {
      pageSize: 2,
      maxOffset: 4,
      onMaxOffset: () => new Error("too far"),
    });
    await expect(collect(pages)).rejects.toThrow("too far");
  });
});

describe("allOffsetItems", () => {
  const serve = (all: readonly number[], step = Infinity) => {
    const offsets: number[] = [];
    const fetchPage = async (offset: number) => {
      offsets.push(offset);
      return { items: all.slice(offset, offset + Math.min(step, 3)), totalCount: all.length };
    };
    return { offsets, fetchPage };
  };

  it("asks for every page after the first at once, and returns the items in order", async () => {
    const all = Array.from({ length: 10 }, (_, i) => i);
    const { offsets, fetchPage } = serve(all);
    expect(await allOffsetItems(fetchPage, { pageSize: 3, pagesInFlight: 2 })).toEqual(all);
    expect(offsets).toEqual([0, 3, 6, 9]);
  });

  it("keeps at most pagesInFlight pages in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const all = Array.from({ length: 30 }, (_, i) => i);
    const fetchPage = async (offset: number) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return { items: all.slice(offset, offset + 3), totalCount: all.length };
    };
    expect(await allOffsetItems(fetchPage, { pageSize: 3, pagesInFlight: 2 })).toEqual(all);
    expect(most).toBe(2);
  });

  it("reads no page beyond the total, even when the last page is full", async () => {
    const { offsets, fetchPage } = serve([1, 2, 3, 4, 5, 6]);
    expect(await allOffsetItems(fetchPage, { pageSize: 3, pagesInFlight: 2 })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(offsets).toEqual([0, 3]);
  });

  it("reads on in order when pages come back shorter than asked, so nothing is skipped", async () => {
    const all = Array.from({ length: 7 }, (_, i) => i);
    const { offsets, fetchPage } = serve(all, 2);
    expect(await allOffsetItems(fetchPage, { pageSize: 3, pagesInFlight: 2 })).toEqual(all);
    expect(offsets).toEqual([0, 2, 4, 6]);
  });

  it("follows items added while the pages were read, and lists without a total one page at a time", async () => {
    const all = [1, 2, 3, 4, 5, 6];
    let reads = 0;
    const growing = async (offset: number) => {
      if (++reads === 2) all.push(7);
      return { items: all.slice(offset, offset + 3), totalCount: all.length };
    };
    expect(await allOffsetItems(growing, { pageSize: 3, pagesInFlight: 2 })).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const noTotal = async (offset: number) => ({ items: [1, 2, 3, 4].slice(offset, offset + 3) });
    expect(await allOffsetItems(noTotal, { pageSize: 3, pagesInFlight: 2 })).toEqual([1, 2, 3, 4]);
  });
});
