import type { IcaFixture } from "../fixtures/format.js";
import { asUuid, stableUuid } from "./ids.js";

export interface ProjectEntry {
  id: string;
  name: string;
  /** The fixture's tenant id (auth compares these); `tenantUuid` is what responses show. */
  tenantId: string;
  tenantUuid: string;
  tenantName: string;
  regionCode: string;
  regionId: string;
  dataSharingEnabled: boolean;
  timeCreatedMs: number;
  /** The tenant's first user: the spec requires an ownerId and the fixture does not name one. */
  ownerId: string;
}

export interface Principal {
  tenantId: string;
  userId: string;
}

/** Who is who: tenants, their users and their projects, as loaded from the fixture. */
export class Directory {
  private readonly projects = new Map<string, ProjectEntry>();
  private readonly tenantNames = new Map<string, string>();

  constructor(fixture: IcaFixture, loadTimeMs: number) {
    for (const t of fixture.tenants) this.tenantNames.set(t.id, t.name);
    for (const p of fixture.projects) {
      const tenantName = this.tenantNames.get(p.tenantId);
      if (tenantName === undefined) throw new Error(`ICA fixture: project ${p.id} names unknown tenant ${p.tenantId}; add it to ica.tenants`);
      const owner = fixture.apiKeys.find((k) => k.tenantId === p.tenantId);
      this.projects.set(p.id, {
        id: p.id,
        name: p.name,
        tenantId: p.tenantId,
        tenantUuid: asUuid(p.tenantId),
        tenantName,
        regionCode: p.region,
        regionId: stableUuid("region", p.region),
        dataSharingEnabled: p.dataSharingEnabled,
        timeCreatedMs: loadTimeMs - p.createdDaysAgo * 86_400_000,
        ownerId: asUuid(owner?.userId ?? `owner-of-${p.tenantId}`),
      });
    }
  }

  project(id: string): ProjectEntry | undefined {
    return this.projects.get(id);
  }

  /** The project if `principal`'s tenant owns it; another tenant's project is as good as missing. */
  projectFor(principal: Principal, id: string): ProjectEntry | undefined {
    const project = this.projects.get(id);
    return project?.tenantId === principal.tenantId ? project : undefined;
  }

  projectsOf(principal: Principal): ProjectEntry[] {
    return [...this.projects.values()].filter((p) => p.tenantId === principal.tenantId);
  }

  allProjects(): IterableIterator<ProjectEntry> {
    return this.projects.values();
  }

  tenantName(tenantId: string): string {
    return this.tenantNames.get(tenantId) ?? tenantId;
  }
}
