import type { ProjectEntry } from "../directory.js";
import { stableUuid } from "../ids.js";
import { conflict, notFound } from "../problem.js";

export const channelTypes = ["MAIL", "SQS", "SNS", "HTTP"] as const;
type ChannelType = (typeof channelTypes)[number];

/** A `NotificationChannel` (spec L16259): where notifications go. Channels belong to a tenant. */
export interface ChannelRecord {
  id: string;
  tenantId: string;
  tenantUuid: string;
  tenantName: string;
  ownerId: string;
  type: ChannelType;
  address: string;
  awsRegion: string | null;
  enabled: boolean;
  timeCreatedMs: number;
}

/** A `NotificationSubscription` (spec L20061): an event code of one project, sent to one channel. */
export interface SubscriptionRecord {
  id: string;
  projectId: string;
  eventCode: string;
  payloadVersion: string | null;
  filterExpression: string | null;
  enabled: boolean;
  channelId: string;
  timeCreatedMs: number;
}

/** Records that belong to a scope (a tenant's channels, a project's subscriptions): another scope's is as good as missing. */
class ScopedRecords<T extends { id: string }> {
  private readonly records = new Map<string, T>();

  constructor(
    private readonly scopeOf: (record: T) => string,
    private readonly missing: (scope: string, id: string) => Error,
  ) {}

  add(record: T): T {
    this.records.set(record.id, record);
    return record;
  }

  of(scope: string): T[] {
    return [...this.records.values()].filter((record) => this.scopeOf(record) === scope);
  }

  get(scope: string, id: string): T {
    const record = this.records.get(id);
    if (record === undefined || this.scopeOf(record) !== scope) throw this.missing(scope, id);
    return record;
  }

  byId(id: string): T | undefined {
    return this.records.get(id);
  }

  all(): IterableIterator<T> {
    return this.records.values();
  }

  delete(id: string): void {
    this.records.delete(id);
  }
}

/** Channels and project subscriptions, with ids derived from a per-simulator sequence (stable across runs). */
export class NotificationStore {
  private readonly channels = new ScopedRecords<ChannelRecord>(
    (channel) => channel.tenantId,
    (_tenant, id) => notFound(`notification channel ${id} was not found; list them with GET /api/notificationChannels`),
  );
  private readonly subscriptions = new ScopedRecords<SubscriptionRecord>(
    (subscription) => subscription.projectId,
    (projectId, id) => notFound(`notification subscription ${id} was not found in project ${projectId}`),
  );
  private seq = 0;

  addChannel(project: Pick<ProjectEntry, "tenantId" | "tenantUuid" | "tenantName" | "ownerId">, fields: Omit<ChannelRecord, "id" | "tenantId" | "tenantUuid" | "tenantName" | "ownerId">): ChannelRecord {
    return this.channels.add({
      id: stableUuid("notification-channel", String(this.seq++)),
      tenantId: project.tenantId,
      tenantUuid: project.tenantUuid,
      tenantName: project.tenantName,
      ownerId: project.ownerId,
      ...fields,
    });
  }

  channelsOf(tenantId: string): ChannelRecord[] {
    return this.channels.of(tenantId);
  }

  channel(tenantId: string, id: string): ChannelRecord {
    return this.channels.get(tenantId, id);
  }

  /** A channel a subscription still sends on cannot go: delete the subscription first. */
  deleteChannel(tenantId: string, id: string): void {
    const channel = this.channel(tenantId, id);
    const user = [...this.subscriptions.all()].find((s) => s.channelId === channel.id);
    if (user) throw conflict(`notification channel ${id} is used by subscription ${user.id} of project ${user.projectId}; delete that subscription first`);
    this.channels.delete(id);
  }

  addSubscription(fields: Omit<SubscriptionRecord, "id">): SubscriptionRecord {
    return this.subscriptions.add({ id: stableUuid("notification-subscription", String(this.seq++)), ...fields });
  }

  subscriptionsOf(projectId: string): SubscriptionRecord[] {
    return this.subscriptions.of(projectId);
  }

  subscription(projectId: string, id: string): SubscriptionRecord {
    return this.subscriptions.get(projectId, id);
  }

  deleteSubscription(projectId: string, id: string): void {
    this.subscription(projectId, id);
    this.subscriptions.delete(id);
  }

  channelById(id: string): ChannelRecord | undefined {
    return this.channels.byId(id);
  }
}
