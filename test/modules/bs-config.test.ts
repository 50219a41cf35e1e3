import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBsConfig } from "../../src/modules/bssh-utils/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "bs-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cfg(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  await chmod(file, 0o600);
  return file;
}

describe("readBsConfig", () => {
  it("reads padded key = value lines and ignores comments and other keys", async () => {
    const file = await cfg("default.cfg", "# written by bs auth\napiServer   = https://api.euc1.sh.basespace.illumina.com/\naccessToken = tok-SECRET-123456\nother\t= x\n");
    expect(await readBsConfig(file)).toEqual({
      apiServer: "https://api.euc1.sh.basespace.illumina.com",
      accessToken: "tok-SECRET-123456",
      warnings: [],
    });
  });

  it("defaults apiServer to USE1, and names problems without the token", async () => {
    expect((await readBsConfig(await cfg("noserver.cfg", "accessToken = abcdef123456\n"))).apiServer).toBe("https://api.basespace.illumina.com");
    await expect(readBsConfig(await cfg("empty.cfg", "apiServer = https://api.basespace.illumina.com\n"))).rejects.toThrow(/empty\.cfg has no accessToken/);
    const badServer = readBsConfig(await cfg("bad.cfg", "apiServer = api.basespace.illumina.com\naccessToken = tok-SECRET-654321\n"));
    await expect(badServer).rejects.toThrow(/apiServer "api.basespace.illumina.com" is not an http\(s\) URL/);
    await expect(badServer).rejects.not.toThrow(/tok-SECRET/);
    await expect(readBsConfig(path.join(dir, "missing.cfg"))).rejects.toThrow(/missing\.cfg does not exist/);
  });
});
