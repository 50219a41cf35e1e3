import { z } from "zod";

/** `NotificationChannel` (spec L16259): the fields subscribe and doctor read. */
export const notificationChannelSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  address: z.string(),
  enabled: z.boolean(),
});
export type IcaNotificationChannel = z.output<typeof notificationChannelSchema>;

/** `NotificationSubscription` (spec L20061). */
export const notificationSubscriptionSchema = z.object({
  id: z.string().min(1),
  eventCode: z.string(),
  filterExpression: z.string().nullish(),
  enabled: z.boolean(),
  notificationChannel: notificationChannelSchema,
});
export type IcaNotificationSubscription = z.output<typeof notificationSubscriptionSchema>;

/** `NotificationChannelList` / `NotificationSubscriptionList`: not paged. */
export const itemList = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** `EventLogV4` (spec L22037). */
export const eventLogSchema = z.object({
  id: z.string().min(1),
  timeCreated: z.string(),
  code: z.string(),
  description: z.string().nullish(),
});
export type IcaEventLog = z.output<typeof eventLogSchema>;
