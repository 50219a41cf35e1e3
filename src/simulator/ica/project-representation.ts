import { COSMETIC } from "./assumptions.js";
import type { ProjectEntry } from "./directory.js";
import { stableUuid } from "./ids.js";

const platformOwned = {
  timeCreated: COSMETIC.platformTimeIso,
  timeModified: COSMETIC.platformTimeIso,
  ownerId: COSMETIC.platformTenantId,
  tenantId: COSMETIC.platformTenantId,
};

/** `Region` (spec L13485): platform-owned; only its code comes from the fixture. */
function toRegion(project: ProjectEntry): Record<string, unknown> {
  const code = project.regionCode;
  return {
    id: project.regionId,
    ...platformOwned,
    code,
    country: { id: stableUuid("country", code), ...platformOwned, code, name: code, region: code },
    cityName: COSMETIC.regionCities[code] ?? code,
  };
}

/** `Project` (spec L14005) with every required field. */
export function toProject(project: ProjectEntry): Record<string, unknown> {
  const created = new Date(project.timeCreatedMs).toISOString();
  return {
    id: project.id,
    timeCreated: created,
    timeModified: created,
    ownerId: project.ownerId,
    tenantId: project.tenantUuid,
    tenantName: project.tenantName,
    urn: `urn:ilmn:ica:project:${project.id}#${project.name}`,
    name: project.name,
    active: true,
    region: toRegion(project),
    billingMode: COSMETIC.billingMode,
    dataSharingEnabled: project.dataSharingEnabled,
    tags: { technicalTags: [], userTags: [] },
    analysisPriority: COSMETIC.analysisPriority,
    projectOwner: project.ownerId,
  };
}
