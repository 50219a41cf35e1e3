import { setFlagsFromString } from "node:v8";

/**
 * The V8 flags every process that runs cycles starts with: the bin's shebang carries them
 * (`src/cli/main.ts`, checked by a test against this list), and so does the bench's cycle child.
 *
 * - `--heap-growing-percent=30`: how far the heap may grow past the live data of the last full
 *   collection before the next one. V8's own heuristics allow up to 4× while a process allocates fast,
 *   and a cycle does (every page of a listing parsed and validated, the journal serialized after each
 *   change it must survive). A first cycle on lab-year whose live data never passed 60 MB peaked at
 *   419 MB RSS on Node 20 without it, 221 MB with it (bench/README.md).
 * - `--max-semi-space-size=4` (MB): the young generation. Node 24 lets it grow to 2 × 32 MB, Node 20 to
 *   2 × 16 MB, committed for objects that mostly die young; at 4 MB lab-year-first's peak fell from 346
 *   to 200 MB on Node 24 (the Docker image's) at the same wall time, the cycle being bound by I/O.
 *
 * Both are read when V8 sets its heap up, so they must be on the command line: at run time
 * (`v8.setFlagsFromString`) the semi-space size is ignored and the growth only partly applies.
 */
const heapGrowth = "--heap-growing-percent=30";
export const memoryFlags = ["--max-semi-space-size=4", heapGrowth] as const;

/** Whether this process was started with every flag of `memoryFlags`. @internal exported for the tests */
export function startedWithMemoryFlags(execArgv: readonly string[] = process.execArgv): boolean {
  return memoryFlags.every((flag) => execArgv.includes(flag));
}

/**
 * For a process started without the flags (`node dist/src/cli/main.js`): the heap growth is set as far
 * as V8 still takes it, so peak RSS follows what a cycle holds at least partly.
 */
export function keepHeapNearLiveData(): void {
  if (!startedWithMemoryFlags()) setFlagsFromString(heapGrowth);
}
