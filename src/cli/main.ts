#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 node --optimize-for-size --heap-growing-percent=30
import { keepHeapNearLiveData } from "./memory-flags.js";
import { runCli } from "./run-cli.js";

keepHeapNearLiveData();
process.exitCode = await runCli(process.argv.slice(2));
