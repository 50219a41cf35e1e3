// Worker-thread entry (bundled by parallel-world-checks.ts): checks the worlds it is sent, several at
// a time so that one world's I/O waits are filled by another's work.
import { parentPort } from "node:worker_threads";
import type { World } from "./random-world.js";
import { checkWorld } from "./world-check.js";

export interface WorldRequest {
  index: number;
  world: World;
}

parentPort?.on("message", ({ index, world }: WorldRequest) => {
  checkWorld(world).then(
    (result) => parentPort?.postMessage({ index, result }),
    (error: unknown) => parentPort?.postMessage({ index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
