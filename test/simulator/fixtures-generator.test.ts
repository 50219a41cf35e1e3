import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateFixture, type GeneratorInput } from "../../src/simulator/fixtures/generator.js";
import { SeededRandom } from "../../src/simulator/fixtures/random.js";
import { fixtureProblems } from "./fixture-invariants.js";

const small: GeneratorInput = {
  name: "small",
  seed: 1,
  analyses: 40,
  daysSpan: 200,
  fastqsPerAnalysis: 20,
  mgiShare: 0.4,
  noMgiShare: 0.2,
  dragenShare: 0.1,
  pendingShare: 1,
  failedShare: 0.1,
  abortedShare: 0.1,
  markerShares: { bssh: 0.5, ica: 0.3 },
  archivedShare: 0.3,
  basespace: { projects: 5, datasets: 60, runs: 20, trash: 2, archivedShare: 0.3 },
};

const isMgiFastq = (path: string) => /(^|\/)M-[^/]*\.fastq\.gz$/.test(path);
const sampleFastqs = (f: ReturnType<typeof generateFixture>) =>
  f.ica.analyses.flatMap((a) => a.files.filter((x) => x.path.endsWith(".fastq.gz") && !x.path.includes("Undetermined")));

describe("generateFixture", () => {
  it("produces valid, self-consistent fixtures for any parameters", () => {
    const share = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: -1_000_000, max: 1_000_000 }),
          analyses: fc.integer({ min: 0, max: 30 }),
          daysSpan: fc.double({ min: 0.5, max: 800, noNaN: true }),
          fastqsPerAnalysis: fc.integer({ min: 1, max: 60 }),
          mgiShare: share,
          dragenShare: share,
          bssh: fc.double({ min: 0, max: 0.5, noNaN: true }),
          runs: fc.integer({ min: 1, max: 15 }),
          datasets: fc.integer({ min: 0, max: 30 }),
        }),
        ({ bssh, runs, datasets, ...p }) => {
          const fixture = generateFixture({
            ...small,
            ...p,
            markerShares: { bssh, ica: 0.5 },
            basespace: { ...small.basespace, runs, datasets },
          });
          expect(fixtureProblems(fixture)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("sizes BCLConvert outputs around fastqsPerAnalysis sample FASTQs", () => {
    const f = generateFixture({ ...small, analyses: 300, dragenShare: 0, pendingShare: 0, failedShare: 0, abortedShare: 0, fastqsPerAnalysis: 50 });
    const mean = sampleFastqs(f).length / f.ica.analyses.length;
    expect(mean).toBeGreaterThan(40);
    expect(mean).toBeLessThan(60);
  });

  it("makes MGI samples only where asked", () => {
    expect(sampleFastqs(generateFixture({ ...small, mgiShare: 0 })).filter((x) => isMgiFastq(x.path))).toEqual([]);
    expect(sampleFastqs(generateFixture({ ...small, noMgiShare: 1 })).filter((x) => isMgiFastq(x.path))).toEqual([]);
    const all = sampleFastqs(generateFixture({ ...small, mgiShare: 1, noMgiShare: 0 }));
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((x) => isMgiFastq(x.path))).toBe(true);
  });

  it("names BaseSpace datasets after samples of BSSH-managed analyses, in the projects their marker names", () => {
    const f = generateFixture({ ...small, markerShares: { bssh: 1, ica: 0 } });
    const named = new Map<string, Set<string>>();
    for (const a of f.ica.analyses) {
      const marker = a.files.find((x) => x.path === "bsshoutput.json");
      if (!marker || a.status !== "SUCCEEDED") continue;
      const projects = Object.keys((JSON.parse(marker.content ?? "") as { Projects: object }).Projects);
      const samples = a.files.map((x) => x.path.split("/").at(-2) ?? "");
      for (const p of projects) named.set(p, new Set([...(named.get(p) ?? []), ...samples]));
    }
    for (const d of f.basespace.datasets) expect(named.get(d.projectId)?.has(d.name)).toBe(true);
  });

  it("rejects bad parameters in one line naming the field", () => {
    expect(() => generateFixture({ ...small, mgiShare: 1.5 })).toThrow(/^invalid fixture generator parameter mgiShare: /);
    expect(() => generateFixture({ ...small, markerShares: { bssh: 0.8, ica: 0.8 } })).toThrow(/markerShares/);
    expect(() => generateFixture({ ...small, lanes: 3 } as GeneratorInput)).toThrow(/^invalid fixture generator parameters: .*"lanes"/);
  });
});

describe("SeededRandom", () => {
  it("repeats its sequence for a seed and stays in range", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });

  it("makes version-4 UUIDs that keep a requested prefix", () => {
    const rng = new SeededRandom(3);
    for (let i = 0; i < 100; i++) {
      expect(rng.uuid("a0000001")).toMatch(/^a0000001-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it("rejects a non-integer seed", () => {
    expect(() => new SeededRandom(1.5)).toThrow(/integer/);
  });
});
