// Unit tests of the ICA simulator's building blocks whose edge cases HTTP tests reach only slowly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimClock } from "../../src/simulator/clock.js";
import { type DataItem, dataKey } from "../../src/simulator/ica/data-item.js";
import { mergeRanges, rangeSource } from "../../src/simulator/ica/data-source.js";
import { DataStore } from "../../src/simulator/ica/data-store.js";
import { IdempotencyStore } from "../../src/simulator/ica/idempotency-store.js";
import { Pager, arraySource, parsePaging } from "../../src/simulator/ica/paging.js";
import { ProblemError } from "../../src/simulator/ica/problem.js";

const P = "5e5e5e5e-0000-4000-8000-000000000005";
const folders = { status: "AVAILABLE" as const, timeCreatedMs: 0 };

function storeWith(paths: string[]): DataStore {
  const store = new DataStore([P]);
  store.loadInBulk(() => {
    for (const path of paths) store.create({ projectId: P, path, dataType: "FILE", status: "AVAILABLE", timeCreatedMs: 0 }, folders);
  });
  return store;
}

const segment = fc.constantFrom("a", "A", "b", "Lane_1", "lane_1", "x.csv", "X.CSV", "s-1", "s.1");
const filePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`);

describe("ICA simulator: sorted data index", () => {
  it("serves a path-prefix listing in key order, resumable after any key, like a brute-force filter", () => {
    fc.assert(
      fc.property(fc.uniqueArray(filePath, { minLength: 1, maxLength: 40 }), fc.array(fc.constantFrom("/", "/a", "/A/", "/a/b", "/lane_1/"), { minLength: 1, maxLength: 2 }), (paths, prefixes) => {
        const store = storeWith(paths);
        const index = store.view(P).index;
        const all = [...index.all()];
        const lower = prefixes.map((p) => p.toLowerCase());
        const expected = all.filter((d) => lower.some((p) => d.lowerPath.startsWith(p))).map(dataKey);
        expect(expected).toEqual([...expected].sort());
        const source = rangeSource(index, mergeRanges(lower.map((p) => index.prefixRange(p))));
        expect([...source.scan(undefined)].map(dataKey)).toEqual(expected);
        for (const [i, key] of expected.entries()) {
          expect([...source.scan(key)].map(dataKey)).toEqual(expected.slice(i + 1));
          expect(source.countAfter(key)).toBe(expected.length - i - 1);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("ICA simulator: data store", () => {
  it("derives ids from project, path and generation: stable across stores, new after delete and re-create", () => {
    const a = storeWith(["/m/run.csv"]);
    const b = storeWith(["/m/run.csv"]);
    const first = a.view(P).atPath("/m/run.csv") as DataItem;
    expect(first.id).toBe(b.view(P).atPath("/m/run.csv")?.id);
    expect(a.view(P).atPath("/m/")?.id).toMatch(/^fol\.[0-9a-f]{32}$/);
    a.remove([first]);
    const again = a.create({ projectId: P, path: "/m/run.csv", dataType: "FILE", status: "PARTIAL", timeCreatedMs: 1 }, folders);
    expect(again.id).not.toBe(first.id);
    expect(a.get(first.id)).toBeUndefined();
    expect(a.removed.files).toBe(1);
  });

  it("finds the file behind an object key and refuses a second item on one path", () => {
    const store = storeWith(["/m/run.csv"]);
    expect(store.byObjectKey(`${P}/m/run.csv`)?.path).toBe("/m/run.csv");
    expect(store.byObjectKey(`${P}/m/other.csv`)).toBeUndefined();
    expect(store.byObjectKey("no-project-here")).toBeUndefined();
    expect(() => store.create({ projectId: P, path: "/m/run.csv", dataType: "FILE", status: "AVAILABLE", timeCreatedMs: 0 }, folders)).toThrow(/appears twice/);
  });
});

describe("ICA simulator: pager", () => {
  const rows = Array.from({ length: 25 }, (_, i) => ({ n: i, name: `row-${String(i).padStart(2, "0")}` }));
  const query = (version = 0) => ({ listing: "rows", source: arraySource(rows, (r) => r.name), sortFields: { n: (r: { n: number }) => r.n }, version });

  it("cursor-pages every row once and rejects a token from another listing or a tampered one", () => {
    const pager = new Pager();
    const seen: number[] = [];
    let token: string | undefined;
    do {
      const page = pager.page(parsePaging(new URLSearchParams({ pageSize: "10", ...(token ? { pageToken: token } : {}) }), 1000), query());
      seen.push(...page.items.map((r) => r.n));
      token = page.nextPageToken || undefined;
    } while (token);
    expect(seen).toEqual(rows.map((r) => r.n));
    const first = pager.page(parsePaging(new URLSearchParams({ pageSize: "10" }), 1000), query());
    const next = parsePaging(new URLSearchParams({ pageToken: first.nextPageToken }), 1000);
    expect(() => pager.page(next, { ...query(), listing: "other" })).toThrow(ProblemError);
    expect(() => new Pager().page(next, query())).toThrow(ProblemError);
  });

  it("decides the mode from pageToken, pageOffset and sort, and re-sorts once the data changes", () => {
    expect(parsePaging(new URLSearchParams(), 1000)).toMatchObject({ mode: "cursor", pageSize: 100 });
    expect(parsePaging(new URLSearchParams({ sort: "n desc" }), 1000)).toMatchObject({ mode: "offset", offset: 0, sort: [{ field: "n", desc: true }] });
    expect(parsePaging(new URLSearchParams({ pageOffset: "20", pageSize: "3000" }), 1000)).toMatchObject({ mode: "offset", pageSize: 1000 });
    expect(() => parsePaging(new URLSearchParams({ sort: "n sideways" }), 1000)).toThrow(ProblemError);
    const pager = new Pager();
    const desc = parsePaging(new URLSearchParams({ sort: "n desc", pageSize: "2" }), 1000);
    expect(pager.page(desc, query()).items.map((r) => r.n)).toEqual([24, 23]);
    rows[0] = { n: 99, name: rows[0]?.name as string };
    expect(pager.page(desc, query()).items.map((r) => r.n)).toEqual([24, 23]);
    expect(pager.page(desc, query(1)).items.map((r) => r.n)).toEqual([99, 24]);
  });
});

describe("ICA simulator: idempotency store", () => {
  it("answers 409 while the first request with a key is still running, then replays its response", async () => {
    const store = new IdempotencyStore(new SimClock(0));
    let finish: () => void = () => undefined;
    const running = store.run("route", "key-1", Buffer.from("{}"), () => new Promise((resolve) => (finish = () => resolve({ status: 201, body: { id: 1 } }))));
    await expect(store.run("route", "key-1", Buffer.from("{}"), () => ({ status: 201 }))).rejects.toMatchObject({ status: 409 });
    finish();
    expect(await running).toEqual({ status: 201, body: { id: 1 } });
    expect(await store.run("route", "key-1", Buffer.from("{}"), () => ({ status: 500 }))).toEqual({ status: 201, body: { id: 1 } });
    expect(await store.run("other-route", "key-1", Buffer.from("{}"), () => ({ status: 204 }))).toEqual({ status: 204 });
  });
});
