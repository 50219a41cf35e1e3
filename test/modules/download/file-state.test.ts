import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PartsLog, readPartsLog } from "../../../src/modules/data-transfer/download/file-state.js";
import { tempDir } from "../../cli/helpers.js";

const identity = { dataId: "fil.1", size: 100, checksum: "abc", partSize: 10 };

describe("the parts log", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir("parts-")));
  afterEach(() => dir.cleanup());

  it("remembers the parts written and how far the unfinished ones got, for the same object only", async () => {
    const path = join(dir.path, "f.parts");
    expect(await readPartsLog(path, identity)).toEqual({ done: new Set(), begun: new Map() });
    const log = await PartsLog.open(path, identity, true);
    log.done(3);
    log.begun(0, 4);
    log.begun(1, 2);
    log.begun(0, 8);
    log.done(1);
    log.close();
    expect(await readPartsLog(path, identity)).toEqual({ done: new Set([1, 3]), begun: new Map([[0, 8]]) });
    expect((await readPartsLog(path, { ...identity, checksum: "other" })).done).toEqual(new Set());
    expect((await readPartsLog(path, { ...identity, partSize: 20 })).begun).toEqual(new Map());

    // Continued, not started afresh: what the log held stays.
    const again = await PartsLog.open(path, identity, false);
    again.done(0);
    again.close();
    expect(await readPartsLog(path, identity)).toEqual({ done: new Set([0, 1, 3]), begun: new Map() });
  });

  it("ignores a torn last line (a kill in the middle of an append) and a header it cannot read", async () => {
    const path = join(dir.path, "f.parts");
    const log = await PartsLog.open(path, identity, true);
    log.done(1);
    log.begun(2, 5);
    log.close();
    await appendFile(path, "2 9");
    expect(await readPartsLog(path, identity)).toEqual({ done: new Set([1]), begun: new Map([[2, 5]]) });
    await writeFile(path, "{not json\n1\n");
    expect((await readPartsLog(path, identity)).done).toEqual(new Set());
  });
});
