// A separate process for the lock tests (lock.test.ts): takes the lock on the directory in argv[2]
// with the lock timings in argv[3] and argv[4] (ms), says "locked", reports a compromise, and stays.
import { acquireStateLock } from "../../src/state/lock.js";

const [dir = "", staleMs, updateMs] = process.argv.slice(2);
await acquireStateLock(dir, {
  staleMs: Number(staleMs),
  updateMs: Number(updateMs),
  onCompromised: (error) => console.log(`compromised ${error.name}`),
});
console.log("locked");
setInterval(() => {}, 1000);
