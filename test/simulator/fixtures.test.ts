import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import { fixtureNames, namedFixture } from "../../src/simulator/fixtures/presets.js";
import { fixtureProblems } from "./fixture-invariants.js";

/** Hashes analysis by analysis so a million-file fixture never becomes one giant string. */
function digest(fixture: Fixture): string {
  const hash = createHash("sha256");
  const { analyses, ...restOfIca } = fixture.ica;
  hash.update(JSON.stringify({ ...fixture, ica: restOfIca }));
  for (const analysis of analyses) hash.update(JSON.stringify(analysis));
  return hash.digest("hex");
}

const fileCount = (f: Fixture): number => f.ica.analyses.reduce((n, a) => n + a.files.length, 0);

/** Default-seed presets, built once: scale-1m takes about a second. */
const built = new Map<string, Fixture>();
function preset(name: string): Fixture {
  const fixture = built.get(name) ?? namedFixture(name);
  built.set(name, fixture);
  return fixture;
}

const sourceAnalyses = (f: Fixture) => {
  const source = f.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME);
  return f.ica.analyses.filter((a) => a.projectId === source?.id);
};

describe("named fixtures", () => {
  it("are demo, lab-year and scale-1m", () => {
    expect(fixtureNames).toEqual(["demo", "lab-year", "scale-1m"]);
  });

  it.each(fixtureNames)("%s validates against the format and its own references", (name) => {
    const fixture = preset(name);
    expect(fixture.name).toBe(name);
    expect(fixtureProblems(fixture)).toEqual([]);
  });

  it("rejects an unknown name with the valid ones in a one-line message", () => {
    expect(() => namedFixture("lab-yaer")).toThrow(/^unknown fixture "lab-yaer"; use one of: demo, lab-year, scale-1m$/);
    expect(() => namedFixture("toString")).toThrow(/unknown fixture/);
  });

  it.each(["demo", "lab-year"])("%s is the same for the same seed and differs for another", (name) => {
    expect(digest(namedFixture(name))).toBe(digest(preset(name)));
    const seven = digest(namedFixture(name, { seed: 7 }));
    expect(digest(namedFixture(name, { seed: 7 }))).toBe(seven);
    expect(seven).not.toBe(digest(preset(name)));
  });

  it("keeps the demo's shape whatever the seed (ids prefixes, ages, file counts)", () => {
    const shape = (f: Fixture) => f.ica.analyses.map((a) => [a.id.slice(0, 8), a.status, a.createdDaysAgo, a.files.length]);
    expect(shape(namedFixture("demo", { seed: 99 }))).toEqual(shape(preset("demo")));
  });

  it("lab-year is a busy core's year", () => {
    const f = preset("lab-year");
    const source = sourceAnalyses(f);
    expect(source).toHaveLength(1_000);
    expect(Math.max(...source.map((a) => a.createdDaysAgo))).toBeLessThanOrEqual(365);
    expect(fileCount(f)).toBeGreaterThan(90_000);
    expect(fileCount(f)).toBeLessThan(130_000);
    const bcl = source.filter((a) => a.pipelineCode.startsWith("BclConvert")).length;
    expect(bcl / source.length).toBeGreaterThan(0.85);
    expect(f.basespace.projects).toHaveLength(40);
    expect(f.basespace.datasets.length).toBeGreaterThanOrEqual(2_000);
    expect(f.basespace.runs).toHaveLength(400);
    const ages = source.map((a) => a.createdDaysAgo);
    expect(ages.filter((d) => d < 60).length).toBeGreaterThan(100);
    expect(ages.filter((d) => d >= 60 && d < 90).length).toBeGreaterThan(50);
    expect(ages.filter((d) => d >= 90).length).toBeGreaterThan(500);
    expect(source.filter((a) => a.outputStatus === "ARCHIVED").length).toBeGreaterThan(100);
  });

  it("scale-1m holds about a million files in 10,000 analyses", () => {
    const f = preset("scale-1m");
    expect(sourceAnalyses(f)).toHaveLength(10_000);
    expect(fileCount(f)).toBeGreaterThan(950_000);
    expect(fileCount(f)).toBeLessThan(1_150_000);
  });
});
