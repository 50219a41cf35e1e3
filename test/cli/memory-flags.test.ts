import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { memoryEnv, memoryFlags, shebang, startedWithMemoryFlags } from "../../src/cli/memory-flags.js";

const run = promisify(execFile);

describe("the V8 flags the tool starts with", () => {
  it("are the ones the bin's shebang passes to node, with the malloc settings", async () => {
    const [firstLine] = (await readFile(new URL("../../src/cli/main.ts", import.meta.url), "utf8")).split("\n");
    expect(firstLine).toBe(shebang);
    expect(shebang).toContain(`node ${memoryFlags.join(" ")}`);
    // Linux before 5.1 reads 127 characters of a shebang, and would cut the flags off.
    expect(shebang.length).toBeLessThan(128);
  });

  it("reach Node as the shebang's env -S starts it: the malloc settings in its environment, the flags on its command line", async () => {
    const command = shebang.slice("#!".length).split(" ");
    const [envPath, split, ...rest] = command;
    // Without spaces, so that env -S passes it to node as one argument.
    const script = "JSON.stringify([process.env.MALLOC_ARENA_MAX,process.env.MALLOC_MMAP_THRESHOLD_,process.execArgv])";
    // env -S takes the rest as one argument, as the kernel passes a shebang's; `node` is this test's Node.
    const line = rest.join(" ").replace(/(^| )node( |$)/, `$1${process.execPath}$2`);
    const { stdout } = await run(envPath as string, [split as string, `${line} -p ${script}`]);
    const [arena, mmap, argv] = JSON.parse(stdout) as [string, string, string[]];
    expect({ arena, mmap }).toEqual({ arena: memoryEnv.MALLOC_ARENA_MAX, mmap: memoryEnv.MALLOC_MMAP_THRESHOLD_ });
    expect(argv).toEqual([...memoryFlags, "-p", script]);
  });

  it("are accepted by this Node, and cap the young generation (a renamed V8 flag would stop the bin from starting)", async () => {
    // Young objects that survive a scavenge or two, as a cycle's parsed pages do, make V8 grow the young generation to its cap.
    const script = [
      "const keep = []; for (let i = 0; i < 2e6; i++) { const o = { i, s: 'x' + i }; if (i % 10 === 0) keep.push(o); }",
      "const s = require('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');",
      "console.log(s.space_size, keep.length);",
    ].join("\n");
    const { stdout } = await run(process.execPath, [...memoryFlags, "-e", script]);
    // At most two semi-spaces of 1 MB (--optimize-for-size), where Node's defaults reach 2 × 16 (Node 20) or 2 × 32 MB (Node 24).
    expect(Number(stdout.split(" ")[0])).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it("can be turned back at run time by the name the download command uses (a renamed flag would be ignored there)", async () => {
    // On the command line V8 refuses a flag it does not know; at run time it would ignore it without a word.
    const { stdout } = await run(process.execPath, [...memoryFlags, "--no-optimize-for-size", "-p", "1"]);
    expect(stdout.trim()).toBe("1");
    await expect(run(process.execPath, ["--no-optimise-for-size", "-p", "1"])).rejects.toThrow(/bad option/);
  });

  it("are recognised only when every one of them is on the command line", () => {
    expect(startedWithMemoryFlags([...memoryFlags])).toBe(true);
    expect(startedWithMemoryFlags(["--inspect", ...memoryFlags])).toBe(true);
    expect(startedWithMemoryFlags([memoryFlags[0]])).toBe(false);
    expect(startedWithMemoryFlags([])).toBe(false);
  });
});
