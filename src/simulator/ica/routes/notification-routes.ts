import { z } from "zod";
import type { Router } from "../../http/router.js";
import type { Principal } from "../directory.js";
import { ANALYSIS_STATUS_CHANGED } from "../events/analysis-events.js";
import { type ChannelRecord, type SubscriptionRecord, channelTypes } from "../events/notification-store.js";
import { type IcaRuntime, apiBase, icaRoute, requireProject, v3Only } from "../ica-route.js";
import { asUuid, stableHex } from "../ids.js";
import { vendorJson } from "../media-type.js";
import { badRequest } from "../problem.js";
import { readJsonBody } from "../request-body.js";

/** `CreateNotificationChannel` (spec L16314). */
const createChannel = z.object({
  enabled: z.boolean(),
  type: z.enum(channelTypes),
  address: z.string().min(1).max(100),
  awsRegion: z.string().min(1).max(255).nullish(),
});

/** `CreateNotificationSubscription` (spec L20114). */
const createSubscription = z.object({
  eventCode: z.string().min(1).max(20),
  payloadVersion: z.enum(["V3", "V4"]).nullish(),
  filterExpression: z.string().min(1).max(2000).nullish(),
  enabled: z.boolean(),
  notificationChannelId: z.string().uuid(),
});

/** Event codes the simulator emits; a subscription to another code is stored but never fires. */
const emittedCodes = new Set([ANALYSIS_STATUS_CHANGED]);

const iso = (ms: number) => new Date(ms).toISOString();

function toChannel(channel: ChannelRecord): Record<string, unknown> {
  return {
    id: channel.id,
    timeCreated: iso(channel.timeCreatedMs),
    timeModified: iso(channel.timeCreatedMs),
    ownerId: channel.ownerId,
    tenantId: channel.tenantUuid,
    tenantName: channel.tenantName,
    enabled: channel.enabled,
    type: channel.type,
    address: channel.address,
    awsRegion: channel.awsRegion,
  };
}

function toSubscription(subscription: SubscriptionRecord, channel: ChannelRecord): Record<string, unknown> {
  return {
    id: subscription.id,
    timeCreated: iso(subscription.timeCreatedMs),
    timeModified: iso(subscription.timeCreatedMs),
    ownerId: channel.ownerId,
    tenantId: channel.tenantUuid,
    tenantName: channel.tenantName,
    eventCode: subscription.eventCode,
    payloadVersion: subscription.payloadVersion,
    filterExpression: subscription.filterExpression,
    enabled: subscription.enabled,
    notificationChannel: toChannel(channel),
  };
}

/** HTTP and SQS channels are delivered to, so their address must be a URL the simulator can use. */
function checkAddress(type: ChannelRecord["type"], address: string): void {
  if (type !== "HTTP" && type !== "SQS") return;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw badRequest(`address "${address}" is not a URL; a ${type} channel needs ${type === "SQS" ? "the queue URL" : "an http(s) URL"}`, { address });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badRequest(`address "${address}" must be an http or https URL`, { address });
}

const withEtag = (response: ReturnType<typeof vendorJson>, body: unknown) => ({
  ...response,
  headers: { ...response.headers, etag: `"${stableHex(JSON.stringify(body))}"` },
});

/** Notification channels (spec L2930) and project notification subscriptions (spec L8338). */
export function registerNotificationRoutes(router: Router, rt: IcaRuntime): void {
  const store = rt.events.notifications;
  const owner = (principal: Principal) => ({
    tenantId: principal.tenantId,
    tenantUuid: asUuid(principal.tenantId),
    tenantName: rt.directory.tenantName(principal.tenantId),
    ownerId: asUuid(principal.userId),
  });
  const channels = `${apiBase}/notificationChannels`;
  const subscriptions = `${apiBase}/projects/{projectId}/notificationSubscriptions`;

  router.add(
    "GET",
    channels,
    icaRoute(rt, { media: v3Only }, (call) => vendorJson(200, call.version, { items: store.channelsOf(call.principal.tenantId).map(toChannel) })),
  );
  router.add(
    "POST",
    channels,
    icaRoute(rt, { media: v3Only }, (call) => {
      const body = readJsonBody(call.req, createChannel);
      checkAddress(body.type, body.address);
      const channel = store.addChannel(owner(call.principal), {
        type: body.type,
        address: body.address,
        awsRegion: body.awsRegion ?? null,
        enabled: body.enabled,
        timeCreatedMs: rt.ctx.clock.now(),
      });
      const rendered = toChannel(channel);
      return withEtag(vendorJson(201, call.version, rendered), rendered);
    }),
  );
  router.add(
    "GET",
    `${channels}/{channelId}`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const rendered = toChannel(store.channel(call.principal.tenantId, call.req.params.channelId ?? ""));
      return withEtag(vendorJson(200, call.version, rendered), rendered);
    }),
  );
  router.add(
    "DELETE",
    `${channels}/{channelId}`,
    icaRoute(rt, { media: v3Only }, (call) => {
      store.deleteChannel(call.principal.tenantId, call.req.params.channelId ?? "");
      return { status: 204 };
    }),
  );

  const render = (tenantId: string, subscription: SubscriptionRecord) =>
    toSubscription(subscription, store.channel(tenantId, subscription.channelId));
  router.add(
    "GET",
    subscriptions,
    icaRoute(rt, { media: v3Only }, (call) => {
      const project = requireProject(rt, call);
      const items = store.subscriptionsOf(project.id).map((s) => render(call.principal.tenantId, s));
      return vendorJson(200, call.version, { items });
    }),
  );
  // The spec answers a created subscription with 200, not 201 (L8378).
  router.add(
    "POST",
    subscriptions,
    icaRoute(rt, { media: v3Only }, (call) => {
      const project = requireProject(rt, call);
      const body = readJsonBody(call.req, createSubscription);
      const channel = store.channel(call.principal.tenantId, body.notificationChannelId);
      rt.events.checkFilter(body.filterExpression ?? null);
      const subscription = rt.events.subscribe({
        projectId: project.id,
        eventCode: body.eventCode,
        payloadVersion: body.payloadVersion ?? (emittedCodes.has(body.eventCode) ? "V4" : null),
        filterExpression: body.filterExpression ?? null,
        enabled: body.enabled,
        channelId: channel.id,
        timeCreatedMs: rt.ctx.clock.now(),
      });
      const rendered = toSubscription(subscription, channel);
      return withEtag(vendorJson(200, call.version, rendered), rendered);
    }),
  );
  router.add(
    "GET",
    `${subscriptions}/{subscriptionId}`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const project = requireProject(rt, call);
      const rendered = render(call.principal.tenantId, store.subscription(project.id, call.req.params.subscriptionId ?? ""));
      return withEtag(vendorJson(200, call.version, rendered), rendered);
    }),
  );
  router.add(
    "DELETE",
    `${subscriptions}/{subscriptionId}`,
    icaRoute(rt, { media: v3Only }, (call) => {
      store.deleteSubscription(requireProject(rt, call).id, call.req.params.subscriptionId ?? "");
      return { status: 204 };
    }),
  );
}
