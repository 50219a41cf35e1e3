import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FixtureError, resolveFixture } from "../../src/simulator/fixtures/resolve.js";
import { fixtureNames, namedFixture } from "../../src/simulator/fixtures/presets.js";
import { fakeFixture } from "./core-fakes.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sim-fixtures-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function errorOf(promise: Promise<unknown>): Promise<FixtureError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FixtureError);
  return error as FixtureError;
}

describe("resolveFixture", () => {
  it("resolves a preset name, passing the seed on", async () => {
    expect(await resolveFixture("demo")).toEqual(namedFixture("demo"));
    expect(await resolveFixture("demo", { seed: 9 })).toEqual(namedFixture("demo", { seed: 9 }));
  });

  it("loads and validates a .json file, applying defaults", async () => {
    const { description: _description, ...withoutDefaults } = fakeFixture;
    const path = await file("ok.json", JSON.stringify(withoutDefaults));
    expect(await resolveFixture(path)).toEqual(fakeFixture);
  });

  it("validates a fixture object", async () => {
    expect(await resolveFixture(fakeFixture)).toEqual(fakeFixture);
    const error = await errorOf(resolveFixture({ ...fakeFixture, version: 2 } as never));
    expect(error.message).toMatch(/^the fixture object is invalid at version: /);
  });

  it("names the known presets for an unknown name", async () => {
    const error = await errorOf(resolveFixture("dmeo"));
    expect(error.message).toBe(
      `unknown fixture "dmeo": use one of ${fixtureNames.join(", ")}, or a path to a fixture .json file`,
    );
  });

  it("says which file is missing or not JSON", async () => {
    const missing = join(dir, "missing.json");
    expect((await errorOf(resolveFixture(missing))).message).toBe(`fixture file ${missing} does not exist: check the path`);
    const broken = await file("broken.json", "{ not json");
    expect((await errorOf(resolveFixture(broken))).message).toMatch(
      new RegExp(`^fixture file ${broken} is not valid JSON: `),
    );
  });

  it("names the file and the zod path of each problem, on one line", async () => {
    const bad = structuredClone(fakeFixture) as unknown as { ica: { projects: { id: string }[] } };
    (bad.ica.projects[0] as { id: string }).id = "not-a-uuid";
    const path = await file("bad.json", JSON.stringify(bad));
    const { message } = await errorOf(resolveFixture(path));
    expect(message).toMatch(new RegExp(`^fixture file ${path} is invalid at ica\\.projects\\.0\\.id: `));
    expect(message).not.toContain("\n");
  });
});
