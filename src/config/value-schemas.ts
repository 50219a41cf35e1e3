import { z } from "zod";

/**
 * The value types of the settings. Flags and environment variables arrive as strings, so numbers,
 * switches and lists also accept their text.
 */

const fromNumericString = (value: unknown): unknown =>
  typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;

export const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(fromNumericString, z.int().min(min).max(max));

/** A non-negative decimal number (prices): flags and the environment give text such as "22.5". */
export const decimalNumber = z.preprocess(
  (value) => (typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
  z.number().min(0).max(1_000_000),
);

const offWords = new Set(["off", "none", "false", "never"]);
export const numberOrOff = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (value) => (value === false || (typeof value === "string" && offWords.has(value.trim().toLowerCase())) ? null : fromNumericString(value)),
    z.int().min(min).max(max).nullable(),
  );
export const daysOrOff = numberOrOff(1);

const booleanWords: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };
export const onOff = z.preprocess(
  (value) => (typeof value === "string" ? (booleanWords[value.trim().toLowerCase()] ?? value) : value),
  z.boolean(),
);

/** A comma-separated string, or a list (repeated flags, JSON array) whose items may hold commas too. */
const splitList = (value: unknown): unknown =>
  typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"))
    ? [value]
        .flat()
        .flatMap((item: string) => item.split(","))
        .map((item) => item.trim())
        .filter((item) => item !== "")
    : value;
export const list = <T extends z.ZodType>(item: T) => z.preprocess(splitList, z.array(item));

export const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }))
  .transform((text) => text.replace(/\/+$/, ""));

/** Mail servers as nodemailer takes them: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
export const smtpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^smtps?$/ }));

/** `Name <address>` or a bare address; nodemailer parses both. */
export const emailAddress = z
  .string()
  .trim()
  .regex(/^[^@\s<>]+@[^@\s<>]+$|^[^<>]*<[^@\s<>]+@[^@\s<>]+>$/);

/** node_exporter's textfile collector reads only `*.prom` files. */
export const promFile = z.string().min(1).endsWith(".prom");

export const projectRef = z.union([z.strictObject({ id: z.string().trim().min(1) }), z.strictObject({ name: z.string().trim().min(1) })]);
export type ProjectRef = z.infer<typeof projectRef>;

export const secret = z.string().trim().min(1);
