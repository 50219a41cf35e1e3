import type { UserPattern } from "../src/config/index.js";
import { isBclConvert } from "../src/modules/monitor/bcl-convert.js";
import { SOURCE_PROJECT_NAME } from "../src/simulator/fixtures/identities.js";
import type { Fixture } from "../src/simulator/index.js";

export type FixtureAnalysis = Fixture["ica"]["analyses"][number];

/** The analyses of the presets' source project, the ones every bench cycle works on. */
export function sourceAnalyses(fixture: Fixture): FixtureAnalysis[] {
  const source = fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME);
  if (!source) throw new Error(`fixture ${fixture.name} has no project ${SOURCE_PROJECT_NAME}; the bench needs a named preset`);
  return fixture.ica.analyses.filter((a) => a.projectId === source.id);
}

/** What the cycle manages: SUCCEEDED and BCLConvert by the configured pattern. */
export function isManageable(analysis: FixtureAnalysis, bclConvertPattern: UserPattern): boolean {
  return (
    analysis.status === "SUCCEEDED" &&
    isBclConvert({ pipeline: { id: analysis.pipelineCode, code: analysis.pipelineCode } }, bclConvertPattern)
  );
}
