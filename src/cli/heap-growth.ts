import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past the live data of the last full collection before the next one.
 * Its own heuristics allow up to 4× while a process allocates fast, and a cycle does: every page of a
 * listing parsed and validated, the journal serialized after each change it must survive a crash. A
 * first cycle on lab-year whose live data never passed 60 MB then peaked at 419 MB RSS; at 30 % it
 * peaked at 221 MB, for 76 full collections instead of 8 (9.3 s of pauses instead of 1.0 s, in a cycle
 * that took 4–5 minutes on a heavily loaded machine; bench/README.md).
 */
const heapGrowingPercent = 30;

/** For the process that runs cycles (the CLI, the bench's cycle child): peak RSS follows what a cycle holds. */
export function keepHeapNearLiveData(): void {
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}
