// Checks many random worlds on every core: vitest runs this file alone (the "self-parallel" project
// in vitest.config.ts), so without worker threads the second core would sit idle through the thousand
// cycles.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { bundleModule } from "./bundle.js";
import type { World } from "./random-world.js";
import type { WorldResult } from "./world-check.js";
import type { WorldRequest } from "./world-check-worker.js";

/** Worlds in flight per worker. */
const inFlightPerWorker = 4;

type WorkerAnswer = { index: number; result: WorldResult } | { index: number; error: string };

export async function checkWorldsInParallel(worlds: readonly World[]): Promise<WorldResult[]> {
  const script = await bundleModule(fileURLToPath(new URL("./world-check-worker.ts", import.meta.url)));
  const workers = Array.from({ length: Math.max(1, availableParallelism()) }, () => new Worker(script));
  try {
    const results = new Array<WorldResult>(worlds.length);
    let next = 0;
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const send = () => {
              while (inFlight < inFlightPerWorker && next < worlds.length) {
                const index = next++;
                inFlight += 1;
                worker.postMessage({ index, world: worlds[index] as World } satisfies WorldRequest);
              }
              if (inFlight === 0) resolve();
            };
            worker.on("message", (answer: WorkerAnswer) => {
              inFlight -= 1;
              if ("error" in answer) return reject(new Error(`world ${answer.index} could not be checked: ${answer.error}`));
              results[answer.index] = answer.result;
              return send();
            });
            worker.on("error", reject);
            send();
          }),
      ),
    );
    return results;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
