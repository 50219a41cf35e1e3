import type { z } from "zod";
import type { SimRequest } from "../http/router.js";
import { badRequest } from "./problem.js";

/** Parses the JSON body against the operation's request schema; any mismatch is a 400 Problem naming the fields. */
export function readJsonBody<S extends z.ZodType>(req: SimRequest, schema: S, options: { optional?: boolean } = {}): z.output<S> {
  const text = req.body.toString("utf8").trim();
  let json: unknown = {};
  if (text === "") {
    if (!options.optional) throw badRequest("the request body is required (JSON)");
  } else {
    try {
      json = JSON.parse(text);
    } catch {
      throw badRequest("the request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const parameters: Record<string, string> = {};
  for (const issue of parsed.error.issues) parameters[issue.path.join(".") || "body"] = issue.message;
  const fields = Object.entries(parameters).map(([field, message]) => `${field}: ${message}`);
  throw badRequest(`the request body is invalid (${fields.join("; ")})`, parameters);
}
