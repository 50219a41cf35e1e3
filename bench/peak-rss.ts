import { readFileSync } from "node:fs";

/**
 * This process's peak resident set since it started, in KiB: the kernel's high-water mark of its memory
 * (`VmHWM` in /proc/self/status).
 *
 * Not `process.resourceUsage().maxRSS`: getrusage(2) keeps that figure across execve, so a child the
 * bench starts can report memory that was never the tool's. Measured at the first line of a lab-year
 * cycle child, before any of the tool's modules were loaded: maxRSS 128 MB, VmHWM 47 MB; every
 * scale-1m child began at ~206 MB that way (bench/README.md, **Notes**). Where there is no /proc
 * (macOS), maxRSS is all there is, and the figure may be that much too high.
 */
export function peakRssKb(): number {
  let status: string;
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return process.resourceUsage().maxRSS;
  }
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (hwm === undefined) throw new Error("/proc/self/status has no VmHWM line: cannot tell this process's peak RSS");
  return Number(hwm);
}
