import { describe, expect, it } from "vitest";
import { peakRssKb } from "../../bench/peak-rss.js";

// The kernel's high-water mark is Linux's (/proc); elsewhere peakRssKb falls back to getrusage's maxRSS.
describe.skipIf(process.platform !== "linux")("peakRssKb", () => {
  it("is the kernel's high-water mark of this process: at least what it holds resident", () => {
    const block = Buffer.alloc(64 * 1024 * 1024, 1);
    const whileHeld = process.memoryUsage().rss / 1024;
    expect(block[block.length - 1]).toBe(1);
    expect(peakRssKb()).toBeGreaterThanOrEqual(Math.floor(whileHeld) - 1024);
    expect(peakRssKb()).toBeGreaterThanOrEqual(64 * 1024);
  });
});
