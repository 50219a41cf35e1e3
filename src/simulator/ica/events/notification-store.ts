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

/** Channels and project subscriptions, with ids derived from a per-simulator sequence (stable across runs). */
export class NotificationStore {
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  private seq = 0;

  addChannel(project: Pick<ProjectEntry, "tenantId" | "tenantUuid" | "tenantName" | "ownerId">, fields: Omit<ChannelRecord, "id" | "tenantId" | "tenantUuid" | "tenantName" | "ownerId">): ChannelRecord {
    const channel: ChannelRecord = {
      id: stableUuid("notification-channel", String(this.seq++)),
      tenantId: project.tenantId,
      tenantUuid: project.tenantUuid,
      tenantName: project.tenantName,
      ownerId: project.ownerId,
      ...fields,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  channelsOf(tenantId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((c) => c.tenantId === tenantId);
  }

  /** Another tenant's channel is as good as missing. */
  channel(tenantId: string, id: string): ChannelRecord {
    const channel = this.channels.get(id);
    if (channel?.tenantId !== tenantId) throw notFound(`notification channel ${id} was not found; list them with GET /api/notificationChannels`);
    return channel;
  }

  /** A channel a subscription still sends on cannot go: delete the subscription first. */
  deleteChannel(tenantId: string, id: string): void {
    const channel = this.channel(tenantId, id);
    const user = [...this.subscriptions.values()].find((s) => s.channelId === channel.id);
    if (user) throw conflict(`notification channel ${id} is used by subscription ${user.id} of project ${user.projectId}; delete that subscription first`);
    this.channels.delete(id);
  }

  addSubscription(fields: Omit<SubscriptionRecord, "id">): SubscriptionRecord {
    const subscription = { id: stableUuid("notification-subscription", String(this.seq++)), ...fields };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  subscriptionsOf(projectId: string): SubscriptionRecord[] {
    return [...this.subscriptions.values()].filter((s) => s.projectId === projectId);
  }

  subscription(projectId: string, id: string): SubscriptionRecord {
    const subscription = this.subscriptions.get(id);
    if (subscription?.projectId !== projectId) throw notFound(`notification subscription ${id} was not found in project ${projectId}`);
    return subscription;
  }

  deleteSubscription(projectId: string, id: string): void {
    this.subscription(projectId, id);
    this.subscriptions.delete(id);
  }

  channelById(id: string): ChannelRecord | undefined {
    return this.channels.get(id);
  }

}
