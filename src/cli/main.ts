#!/usr/bin/env node
import { keepHeapNearLiveData } from "./heap-growth.js";
import { runCli } from "./run-cli.js";

keepHeapNearLiveData();
process.exitCode = await runCli(process.argv.slice(2));
