import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPartsDone, recordPartDone, startPartsLog } from "../../../src/modules/data-transfer/download/file-state.js";
import { tempDir } from "../../cli/helpers.js";

const identity = { dataId: "fil.1", size: 100, checksum: "abc", partSize: 10 };

describe("the parts log", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir("parts-")));
  afterEach(() => dir.cleanup());

  it("remembers the parts written, for the same object only", async () => {
    const path = join(dir.path, "f.parts");
    expect(await readPartsDone(path, identity)).toEqual(new Set());
    await startPartsLog(path, identity);
    await recordPartDone(path, 3);
    await recordPartDone(path, 0);
    expect(await readPartsDone(path, identity)).toEqual(new Set([0, 3]));
    expect(await readPartsDone(path, { ...identity, checksum: "other" })).toEqual(new Set());
    expect(await readPartsDone(path, { ...identity, partSize: 20 })).toEqual(new Set());
  });

  it("ignores a torn last line (a kill in the middle of an append) and a header it cannot read", async () => {
    const path = join(dir.path, "f.parts");
    await startPartsLog(path, identity);
    await recordPartDone(path, 1);
    await appendFile(path, "1");
    expect(await readPartsDone(path, identity)).toEqual(new Set([1]));
    await writeFile(path, "{not json\n1\n");
    expect(await readPartsDone(path, identity)).toEqual(new Set());
  });
});
