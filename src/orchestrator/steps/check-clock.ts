import { clockSkewFailMs, clockSkewWarnMs, describeSkew, type ServerClock } from "../../http/server-clock.js";
import type { StepRecorder } from "../step-recorder.js";

export interface ClockCheck {
  /** The cycle's `now` on the servers' clock (the local one within 30 s): every age window is measured from it. */
  now: Date;
  /** False when the local clock is too far off (or cannot be checked): nothing is archived or deleted. */
  trusted: boolean;
}

/**
 * `cycleNow` is the cycle's start on the local clock, `localNow` the local clock now (the cycle's
 * clock, which tests may set). Checks the local clock against the `Date` headers of the responses so far (the resolve step's).
 * An age window measured on a wrong clock archives or deletes data days early, so beyond 5 minutes
 * the error is reported (and alerted) and the destructive steps are skipped; delivery goes on. The
 * error text holds no time, so that the alert of a clock that stays wrong is one alert.
 */
export function checkClock(serverClock: ServerClock, times: { cycleNow: Date; localNow: Date }, rec: StepRecorder): ClockCheck {
  const serverNow = serverClock.nowMs();
  if (serverNow === undefined) {
    rec.error("no ICA or BaseSpace response carried a Date header, so the local clock cannot be checked: nothing is archived or deleted this cycle");
    return { now: times.cycleNow, trusted: false };
  }
  const skew = times.localNow.getTime() - serverNow;
  // Within 30 s the clocks agree as far as a Date header (1 s resolution, network delay) can tell.
  if (Math.abs(skew) <= clockSkewWarnMs) return { now: times.cycleNow, trusted: true };
  const now = new Date(times.cycleNow.getTime() - skew);
  const both = `local clock ${times.localNow.toISOString()}, server clock ${new Date(serverNow).toISOString()}`;
  if (Math.abs(skew) > clockSkewFailMs) {
    rec.logger.error(`clock check failed: ${both}`);
    rec.error(
      `the local clock is ${describeSkew(skew)} the servers' clock (more than ${clockSkewFailMs / 60_000} min): ` +
        "nothing is archived or deleted this cycle; set the clock right (NTP) and the next cycle goes on",
    );
    return { now, trusted: false };
  }
  rec.warn(`the local clock is ${describeSkew(skew)} the servers' clock (${both}); ages are measured on the servers' clock`);
  return { now, trusted: true };
}
