import { sourceLines } from "../../config/index.js";
import type { DoctorReport } from "./doctor-checks.js";

/**
 * Doctor's first section: for each pair, every setting not at its default, with the layer that set
 * it (flag, environment, config file, Illumina CLI file) and its value, except a secret's.
 */
export function renderSettingSources(pairs: DoctorReport["pairs"]): string {
  if (pairs.length === 0) return "";
  const blocks = pairs.map(({ label, sources }) => {
    const heading = pairs.length > 1 ? `Settings of ${label} not at their defaults:` : "Settings not at their defaults:";
    const lines = sourceLines(sources);
    return [heading, ...(lines.length === 0 ? ["none"] : lines)].join("\n  ");
  });
  return `${blocks.join("\n\n")}\n\n`;
}
