/**
 * Simulated time. Starts at the real time when the simulator starts (or a fixed `startMs`) and moves
 * with the wall clock; tests jump it forward with `advance()` (control plane `POST /__sim/clock`) so
 * that delays of hours or days (a BaseSpace restore) pass without waiting.
 */
export class SimClock {
  private offsetMs: number;

  constructor(startMs: number = Date.now(), private readonly realNow: () => number = Date.now) {
    this.offsetMs = startMs - this.realNow();
  }

  now(): number {
    return this.realNow() + this.offsetMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError("the simulated clock only moves forward");
    this.offsetMs += ms;
  }
}

interface Scheduled {
  dueMs: number;
  seq: number;
  run: () => void;
}

/**
 * Delayed state changes (ARCHIVING → ARCHIVED, a linking batch finishing, a restore completing).
 * They are applied lazily, in due order, before every request is handled, so what a client observes
 * depends only on the simulated clock — never on timer scheduling — and tests are deterministic.
 */
export class Scheduler {
  /** Kept sorted by (dueMs, seq) so `runDue` only looks at the head. */
  private queue: Scheduled[] = [];
  private seq = 0;

  constructor(private readonly clock: SimClock) {}

  /** Runs `run` once the simulated clock reaches now + delayMs (immediately on the next request when 0). */
  after(delayMs: number, run: () => void): void {
    const item = { dueMs: this.clock.now() + Math.max(0, delayMs), seq: this.seq++, run };
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.queue[mid] as Scheduled).dueMs <= item.dueMs) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, item);
  }

  runDue(): void {
    const now = this.clock.now();
    while (this.queue.length > 0 && (this.queue[0] as Scheduled).dueMs <= now) {
      (this.queue.shift() as Scheduled).run();
    }
  }

  pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue = [];
  }
}
