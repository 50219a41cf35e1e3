import { setFlagsFromString } from "node:v8";

/**
 * The V8 flags every process that runs cycles starts with: the bin's shebang carries them
 * (`src/cli/main.ts`, checked by a test against `shebang`), and so does the bench's cycle child.
 *
 * - `--heap-growing-percent=30`: how far the heap may grow past the live data of the last full
 *   collection before the next one. V8's own heuristics allow up to 4× while a process allocates fast,
 *   and a cycle does (every page of a listing parsed and validated, the journal serialized after each
 *   change it must survive). A first cycle on lab-year whose live data never passed 60 MB peaked at
 *   419 MB RSS on Node 20 without it, 221 MB with it (bench/README.md).
 * - `--optimize-for-size`: V8's heuristics that favour memory over speed (collections that shrink the heap
 *   sooner), and a young generation of 1 MB per semi-space. Node 24 lets that grow to 2 × 32 MB, Node 20 to
 *   2 × 16 MB, committed for objects that mostly die young. A first cycle on scale-1m peaked at 209–214 MB
 *   with `--max-semi-space-size=4` in its place, 208 MB with 2, and 183 MB with this flag, for ~13 % more
 *   CPU at no latency (bench/README.md, **Notes**); a cycle is bound by I/O.
 *
 * Both are read when V8 sets its heap up, so they must be on the command line: at run time
 * (`v8.setFlagsFromString`) the semi-space size is ignored and the growth only partly applies. The flag
 * replaced `--max-semi-space-size=4`, which it overrides (it implies 1), rather than joining it: the shebang
 * must stay under 128 characters.
 */
const heapGrowth = "--heap-growing-percent=30";
/** @internal exported for the tests (others start Node with asTheBinStarts) */
export const memoryFlags = ["--optimize-for-size", heapGrowth] as const;

/**
 * glibc's malloc settings every process that runs cycles starts with, set by the same shebang (`env -S
 * NAME=value … node …`) and by the bench for its cycle child. What V8 does not hold — response bodies
 * as they arrive (axios's chunks and their concatenation), buffers of file writes — is malloc's, and
 * glibc gives little of it back by default:
 * - `MALLOC_MMAP_THRESHOLD_=131072`: blocks of 128 KB and more (a page of a listing is about a megabyte)
 *   get pages of their own, returned when freed. Left alone, glibc raises this threshold to the largest
 *   block freed so far (up to 32 MB), after which such blocks come from the main heap, which only
 *   shrinks from its top: at scale-1m it stood at 55 MB after the output folders were sized, with a
 *   fixed threshold at 23. Not lower: at 64 KB every 64 KB chunk a socket reads is a page mapping of its
 *   own, which cost the download 40 % more CPU and no memory (bench/README.md, **Notes**).
 * - `MALLOC_ARENA_MAX=2`: a heap per thread that allocates (V8's helper threads, libuv's pool) each
 *   keeps its own free memory; two are plenty for one event loop.
 * Other C libraries (musl, macOS) ignore both, and nothing else depends on them.
 * @internal exported for the tests (others start Node with asTheBinStarts)
 */
export const memoryEnv = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072" } as const;

/**
 * How to start another Node process as the bin starts itself (the bench's cycle and download children):
 * `memoryFlags` before its arguments, `memoryEnv` over the given environment.
 */
export function asTheBinStarts(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { args: string[]; env: NodeJS.ProcessEnv } {
  return { args: [...memoryFlags, ...args], env: { ...env, ...memoryEnv } };
}

/** The bin's first line: `memoryEnv` and `memoryFlags` on the command that starts Node. @internal exported for the tests */
export const shebang = `#!/usr/bin/env -S ${Object.entries(memoryEnv)
  .map(([name, value]) => `${name}=${value}`)
  .join(" ")} node ${memoryFlags.join(" ")}`;

/** Whether this process was started with every flag of `memoryFlags`. @internal exported for the tests */
export function startedWithMemoryFlags(execArgv: readonly string[] = process.execArgv): boolean {
  return memoryFlags.every((flag) => execArgv.includes(flag));
}

/**
 * For the one command bound by its CPU rather than by what it holds (`download`: parts are streamed to
 * disk, nothing is kept per file): V8 stops favouring memory over speed. 5 files, 2.23 GB, Node 24: 105 MB/s,
 * 30.4 s CPU, 130 MB with `--optimize-for-size`; 162 MB/s, 20.2 s CPU, 143 MB with it turned off at the
 * command's start (bench/README.md). The 1 MB semi-spaces stay: V8 sets them up before any code runs.
 */
export function favourSpeedOverMemory(): void {
  setFlagsFromString("--no-optimize-for-size");
}

/**
 * For a process started without the flags (`node dist/src/cli/main.js`): the heap growth is set as far
 * as V8 still takes it, so peak RSS follows what a cycle holds at least partly.
 */
export function keepHeapNearLiveData(): void {
  if (!startedWithMemoryFlags()) setFlagsFromString(heapGrowth);
}
