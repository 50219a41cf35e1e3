import { describe, expect, it } from "vitest";
import { agedOldestFirst } from "../../src/modules/bssh-utils/index.js";

interface Item {
  id: string;
  createdAtMs: number;
}

/** A paged listing: records how many pages were fetched. */
function listing(createdAt: readonly number[], pageSize: number): { items: AsyncIterable<Item>; pages(): number } {
  let pages = 0;
  async function* generate(): AsyncGenerator<Item> {
    for (let offset = 0; offset < createdAt.length; offset += pageSize) {
      pages += 1;
      yield* createdAt.slice(offset, offset + pageSize).map((ms, i) => ({ id: `i${offset + i}`, createdAtMs: ms }));
    }
  }
  return { items: generate(), pages: () => pages };
}

async function run(createdAt: readonly number[], pageSize = 3, orderTrusted?: boolean) {
  const warnings: string[] = [];
  const source = listing(createdAt, pageSize);
  const yielded: string[] = [];
  // Aged: created before 100.
  for await (const item of agedOldestFirst(source.items, { isAged: (i) => i.createdAtMs < 100, pageSize, onOutOfOrder: (e) => warnings.push(e), ...(orderTrusted !== undefined ? { orderTrusted } : {}) })) {
    yielded.push(item.id);
  }
  return { yielded, warnings, pages: source.pages() };
}

describe("agedOldestFirst", () => {
  it("stops at the first young item without fetching another page when the order holds", async () => {
    expect(await run([10, 20, 150, 160, 170, 180, 190])).toEqual({ yielded: ["i0", "i1"], warnings: [], pages: 1 });
  });

  it("reads the whole listing and warns when an aged item comes after a young one", async () => {
    const result = await run([10, 150, 20, 160, 30, 170]);
    expect(result.yielded).toEqual(["i0", "i2", "i4"]);
    expect(result.pages).toBe(2);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("asked for oldest first, i2");
  });

  it("finds the disorder on a later page too, and then reads on", async () => {
    const result = await run([10, 20, 30, 50, 40, 60, 150, 5]);
    expect(result.yielded).toEqual(["i0", "i1", "i2", "i3", "i4", "i5", "i7"]);
    expect(result.warnings).toHaveLength(1);
  });

  it("reads to the end without a word when the order was seen broken before (the ledger stands contradicted)", async () => {
    expect(await run([10, 20, 150, 160, 170, 180, 5], 3, false)).toEqual({ yielded: ["i0", "i1", "i6"], warnings: [], pages: 3 });
  });
});
