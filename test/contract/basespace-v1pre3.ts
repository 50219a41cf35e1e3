import { z } from "zod";
import type { HttpExchange, SpecValidator } from "./spec-validator.js";

/**
 * BaseSpace v1pre3 is not in the v2 swagger. Its envelope comes from the Python SDK [PYSDK] (`Response`,
 * `ResponseStatus`, `Notifications`; lists are a `ResourceList`) and the token details from the C# SDK
 * [CSSDK] (see ../shared/basespace-api-notes.md §4–5). The objects inside the envelope are checked against
 * the swagger's own v1pre3/v2 definitions (V1pre3ProjectCompact, V1pre3RunCompact, V2User).
 */

const count = z.number().int().min(0);
const dateTime = z.iso.datetime({ offset: true });

const responseStatusSchema = z.strictObject({
  ErrorCode: z.string().optional(),
  Message: z.string().optional(),
  Errors: z.array(z.unknown()).optional(),
  StackTrace: z.string().optional(),
});

const v1pre3EnvelopeSchema = z.strictObject({
  Response: z.record(z.string(), z.unknown()),
  ResponseStatus: responseStatusSchema,
  Notifications: z.array(z.unknown()),
});

const v1pre3ErrorSchema = z.strictObject({
  ResponseStatus: responseStatusSchema.extend({ ErrorCode: z.string().min(1), Message: z.string().min(1) }),
  Notifications: z.array(z.unknown()),
});

const v1pre3ResourceListSchema = z.strictObject({
  Items: z.array(z.unknown()),
  DisplayedCount: count,
  TotalCount: count,
  Offset: count,
  Limit: count,
  SortDir: z.enum(["Asc", "Desc"]),
  SortBy: z.string(),
});

/** `GET /v1pre3/oauthv2/token/current` → AccessTokenDetails [CSSDK]; the owner is a user (checked as V2User). */
const accessTokenDetailsSchema = z.strictObject({
  Id: z.string(),
  Href: z.string(),
  AccessToken: z.string(),
  Application: z.record(z.string(), z.unknown()).optional(),
  UserResourceOwner: z.record(z.string(), z.unknown()),
  Status: z.string(),
  DateCreated: dateTime,
  Scopes: z.array(z.string()),
});

/** What `Response` holds: a list of `items` definitions, a single `definition`, or token details. */
export type V1pre3Shape = { list: string } | { single: string } | { tokenDetails: true };

const zodProblems = (label: string, error: z.ZodError): string[] =>
  error.issues.map((i) => `${label} ${i.path.length ? `/${i.path.join("/")} ` : ""}${i.message}`);

/** Problems with one v1pre3 exchange (empty = conforms): envelope, list counters, and each object against the swagger. */
export function validateV1pre3Exchange(spec: SpecValidator, exchange: HttpExchange, shape: V1pre3Shape): string[] {
  const label = `${exchange.method} ${exchange.path}:`;
  if (!/^application\/json\b/i.test(exchange.responseContentType ?? "")) {
    return [`${label} media type "${exchange.responseContentType ?? "(none)"}" is not application/json`];
  }
  if (exchange.status >= 400) {
    const parsed = v1pre3ErrorSchema.safeParse(exchange.responseBody);
    return parsed.success ? [] : zodProblems(`${label} error body`, parsed.error);
  }
  const envelope = v1pre3EnvelopeSchema.safeParse(exchange.responseBody);
  if (!envelope.success) return zodProblems(`${label} envelope`, envelope.error);
  const response = envelope.data.Response;
  if ("tokenDetails" in shape) {
    const details = accessTokenDetailsSchema.safeParse(response);
    if (!details.success) return zodProblems(`${label} Response`, details.error);
    return spec.validateAt("/definitions/V2User", details.data.UserResourceOwner, `${label} Response/UserResourceOwner`);
  }
  if ("single" in shape) return spec.validateAt(`/definitions/${shape.single}`, response, `${label} Response`);
  const list = v1pre3ResourceListSchema.safeParse(response);
  if (!list.success) return zodProblems(`${label} Response`, list.error);
  const problems: string[] = [];
  if (list.data.DisplayedCount !== list.data.Items.length) problems.push(`${label} DisplayedCount ${list.data.DisplayedCount} ≠ ${list.data.Items.length} items`);
  if (list.data.Offset + list.data.DisplayedCount > list.data.TotalCount) problems.push(`${label} Offset + DisplayedCount exceeds TotalCount`);
  list.data.Items.forEach((item, i) => problems.push(...spec.validateAt(`/definitions/${shape.list}`, item, `${label} Response/Items/${i}`)));
  return problems;
}
