import { describe, expect, it } from "vitest";
import { ServerClock, skewFromDateHeader } from "../../src/http/server-clock.js";

const at = (iso: string): number => Date.parse(iso);

describe("the servers' clock from Date headers", () => {
  it("takes the middle of the request against the middle of the header's second", () => {
    expect(skewFromDateHeader("Sun, 01 Jun 2025 10:00:00 GMT", at("2025-06-01T10:07:00.000Z"), at("2025-06-01T10:07:01.000Z"))).toBe(7 * 60_000);
    expect(skewFromDateHeader(undefined, 0, 0)).toBeUndefined();
    expect(skewFromDateHeader("not a date", 0, 0)).toBeUndefined();
  });

  it("is the median of the latest responses, so one stale header does not move it", () => {
    const clock = new ServerClock();
    expect(clock.skewMs()).toBeUndefined();
    expect(clock.nowMs()).toBeUndefined();
    const sent = at("2025-06-01T10:00:00.000Z");
    for (const header of ["Sun, 01 Jun 2025 09:59:00 GMT", "Sun, 01 Jun 2025 09:59:00 GMT", "Sun, 01 Jun 2025 08:00:00 GMT", "garbage"]) {
      clock.observe(header, sent, sent + 1_000);
    }
    expect(clock.skewMs()).toBe(60_000);
    // Only the latest responses count: a clock set right is believed once most answers say so.
    for (let i = 0; i < 25; i++) clock.observe("Sun, 01 Jun 2025 10:00:00 GMT", sent, sent + 1_000);
    expect(clock.skewMs()).toBe(0);
  });
});
