import { ConfigError } from "../../../config/index.js";
import type { EventsTarget } from "../../../config/events-url.js";
import type { UserPattern } from "../../../config/index.js";
import type { IcaClient } from "../../../ica/client.js";
import type { IcaNotificationChannel, IcaNotificationSubscription } from "../../../ica/notification-schemas.js";

const ANALYSIS_STATUS_CHANGED = "ICA_EXEC_028";
/** `CreateNotificationChannel.address` (spec L16314). */
const MAX_ADDRESS = 100;

/** The ICA channel an `--events` setting needs. */
export interface ChannelSpec {
  type: "SQS" | "HTTP";
  address: string;
  awsRegion?: string;
}

/**
 * The channel for `--events`: the queue URL, or the URL ICA posts to — `events_address` when given,
 * else the receiver's own URL, which only works when it names an address ICA can reach.
 */
export function channelSpecOf(target: EventsTarget, eventsAddress: string | undefined): ChannelSpec {
  if (target.kind === "sqs") {
    const region = /^sqs[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(target.queueUrl).hostname)?.[1];
    return checked({ type: "SQS", address: target.queueUrl, ...(region ? { awsRegion: region } : {}) }, "events");
  }
  if (eventsAddress !== undefined) return checked({ type: "HTTP", address: eventsAddress }, "events_address");
  if (target.host === "0.0.0.0" || target.host === "::") {
    throw new ConfigError(
      `events: ICA cannot post to ${target.host}, where the receiver listens; set events_address to the URL ICA reaches it at (e.g. https://lab.example.org/ica-events behind your proxy)`,
    );
  }
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return checked({ type: "HTTP", address: `http://${host}:${target.port}${target.path}` }, "events");
}

function checked(spec: ChannelSpec, setting: string): ChannelSpec {
  if (spec.address.length > MAX_ADDRESS) {
    throw new ConfigError(`${setting}: ICA takes a channel address of at most ${MAX_ADDRESS} characters, this one has ${spec.address.length}; use a shorter queue name or URL`);
  }
  return spec;
}

/**
 * The subscription's filter: ICA_EXEC_028 fires for every analysis of the project, and only
 * BCLConvert ones interest the tool. A JsonPath filter over the analysis, whole-value regex match
 * (Java's `matches`), hence the `.*` around the configured pattern; only its `i` flag carries over.
 */
export function bclConvertFilter(pattern: UserPattern): string {
  const written = pattern.toString();
  const m = /^\/(.*)\/([a-z]*)$/s.exec(written);
  const body = m ? (m[1] ?? "") : written;
  const flags = m?.[2]?.includes("i") ? "i" : "";
  return `[?($.pipeline.code =~ /.*(?:${body}).*/${flags})]`;
}

export interface SubscriptionState {
  channel?: IcaNotificationChannel;
  subscription?: IcaNotificationSubscription;
}

/** The channel with this type and address, and its ICA_EXEC_028 subscription on the project, if they exist. */
export async function findSubscription(ica: IcaClient, projectId: string, spec: ChannelSpec): Promise<SubscriptionState> {
  const channel = (await ica.listNotificationChannels()).find((c) => c.type === spec.type && c.address === spec.address);
  if (!channel) return {};
  const subscription = (await ica.listNotificationSubscriptions(projectId)).find(
    (s) => s.eventCode === ANALYSIS_STATUS_CHANGED && s.notificationChannel.id === channel.id,
  );
  return { channel, ...(subscription ? { subscription } : {}) };
}

export interface EnsureOutcome {
  channel: { id?: string; created: boolean };
  subscription: { id?: string; created: boolean; filterExpression: string; differs?: string };
}

/**
 * Creates what is missing of the channel and the filtered ICA_EXEC_028 subscription; an existing one
 * (found by type and address, then by event code and channel) is left as it is, so a second run
 * changes nothing. With `dryRun`, nothing is created and the outcome says what would be.
 */
export async function ensureSubscription(
  ica: IcaClient,
  request: { projectId: string; spec: ChannelSpec; filterExpression: string; dryRun: boolean },
): Promise<EnsureOutcome> {
  const { projectId, spec, filterExpression, dryRun } = request;
  const found = await findSubscription(ica, projectId, spec);
  let channelId = found.channel?.id;
  const outcome: EnsureOutcome = {
    channel: { ...(channelId ? { id: channelId } : {}), created: false },
    subscription: { filterExpression, created: false },
  };
  if (found.subscription) {
    const actual = found.subscription.filterExpression ?? "";
    outcome.subscription = {
      id: found.subscription.id,
      created: false,
      filterExpression: actual,
      ...(actual !== filterExpression ? { differs: `its filter is ${actual ? `"${actual}"` : "empty"}, not "${filterExpression}"` } : {}),
    };
    return outcome;
  }
  if (dryRun) {
    outcome.channel.created = channelId === undefined;
    outcome.subscription.created = true;
    return outcome;
  }
  if (channelId === undefined) {
    channelId = (await ica.createNotificationChannel(spec)).id;
    outcome.channel = { id: channelId, created: true };
  }
  const created = await ica.createNotificationSubscription(projectId, { eventCode: ANALYSIS_STATUS_CHANGED, notificationChannelId: channelId, filterExpression });
  outcome.subscription = { id: created.id, created: true, filterExpression };
  return outcome;
}
