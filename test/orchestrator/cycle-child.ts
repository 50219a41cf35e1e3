// A cycle in a child process, for the SIGKILL tests (cycle-kill.test.ts): the parent runs the
// simulator and passes its endpoints and the state directory in CYCLE_CHILD (JSON). The cycle's
// `now` follows the simulator's clock, read once from the control plane.
import { cycleAt, cycleSettings, type SimEndpoints } from "./cycle-settings.js";

const input = JSON.parse(process.env.CYCLE_CHILD ?? "{}") as SimEndpoints & { stateDir: string };
const clock = (await (await fetch(`${input.icaUrl}/__sim/clock`)).json()) as { nowMs: number };
const offsetMs = clock.nowMs - Date.now();
const report = await cycleAt(() => new Date(Date.now() + offsetMs), cycleSettings(input, input.stateDir));
process.stdout.write(`${JSON.stringify({ outcome: report.outcome })}\n`);
