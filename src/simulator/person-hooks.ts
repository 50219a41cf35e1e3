import { z } from "zod";
import { routeMatches } from "./faults.js";
import type { Router, SimResponse } from "./http/router.js";
import { describeZodError } from "./zod-error.js";

/**
 * People act alongside the tool: between two of its requests someone trashes a dataset, restores one
 * from the trash, unarchives or deletes a folder. A hook says "after the Nth request matching `after`,
 * act as a person": its actions are sent through the services' own routes (so they change state
 * exactly as the API would) with the fixture's first ICA key and BaseSpace token, before the Nth
 * response goes back, so the tool's very next request sees the change.
 */
const requestActionSchema = z.strictObject({
  kind: z.literal("request"),
  method: z.enum(["GET", "POST", "PUT", "DELETE"]),
  /** Percent-encoded as sent, e.g. `/v2/datasets/ds.1` or `/ica/rest/api/projects/p/data/d:unarchive`. */
  path: z.string().regex(/^\/(ica\/rest\/|v2\/|v1pre3\/)/, "use an ICA (/ica/rest/...) or BaseSpace (/v2/..., /v1pre3/...) path"),
  body: z.unknown().optional(),
});

/** The trash is addressed by trash ids a person reads off the screen; this looks the item up by its own id. */
const restoreFromTrashSchema = z.strictObject({ kind: z.literal("restore-from-trash"), itemId: z.string().min(1) });

const personActionSchema = z.discriminatedUnion("kind", [requestActionSchema, restoreFromTrashSchema]);
export type PersonAction = z.infer<typeof personActionSchema>;

const personHookSchema = z.strictObject({
  /** As in a fault rule: `*`, a path prefix such as `/v2/`, or a route name such as `DELETE /v2/trash`. */
  after: z
    .string()
    .regex(/^(\*|\/.*|[A-Z]+ \/.*)$/, "use *, a path prefix such as /v2/, or a route name such as DELETE /v2/trash"),
  /** Act after the Nth matching request (1 = the first). Faulted requests count too: they were sent. */
  count: z.number().int().min(1).default(1),
  actions: z.array(personActionSchema).min(1),
});
export type PersonHookInput = z.input<typeof personHookSchema>;

export interface PersonHookView {
  after: string;
  count: number;
  /** Matching requests seen so far. */
  seen: number;
  /** Statuses the actions were answered with, once the hook has fired. */
  results: number[] | null;
}

export class PersonHookError extends Error {
  override name = "PersonHookError";
}

/** What a person's requests are sent with and through. */
export interface PersonContext {
  router(): Router;
  apiKey: string;
  basespaceToken: string;
}

interface Hook {
  spec: z.output<typeof personHookSchema>;
  seen: number;
  results: number[] | null;
}

export class PersonHooks {
  private hooks: Hook[] = [];

  constructor(private readonly person: PersonContext) {}

  /** Throws PersonHookError (one line, names the field) when the hook is invalid. */
  add(input: PersonHookInput): PersonHookView[] {
    const parsed = personHookSchema.safeParse(input);
    if (!parsed.success) throw new PersonHookError(`invalid person hook: ${describeZodError(parsed.error)}`);
    this.hooks.push({ spec: parsed.data, seen: 0, results: null });
    return this.list();
  }

  list(): PersonHookView[] {
    return this.hooks.map(({ spec, seen, results }) => ({ after: spec.after, count: spec.count, seen, results }));
  }

  clear(): void {
    this.hooks = [];
  }

  /** Called once per service request, after its response is decided and before it is sent. */
  async afterRequest(route: string, path: string): Promise<void> {
    for (const hook of this.hooks) {
      if (hook.results !== null || !routeMatches(hook.spec.after, route, path)) continue;
      hook.seen += 1;
      if (hook.seen < hook.spec.count) continue;
      hook.results = [];
      for (const action of hook.spec.actions) hook.results.push(await this.act(action).catch(() => 500));
    }
  }

  private async act(action: PersonAction): Promise<number> {
    if (action.kind === "request") return (await this.send(action.method, action.path, action.body)).status;
    const listed = await this.send("GET", "/v2/trash?limit=1000");
    const body = typeof listed.body === "string" ? (JSON.parse(listed.body) as unknown) : listed.body;
    const items = (body as { Items?: Array<{ Id: string; DeletedDataset?: { Id: string }; DeletedRun?: { Id: string } }> }).Items ?? [];
    const entry = items.find((e) => (e.DeletedDataset?.Id ?? e.DeletedRun?.Id) === action.itemId);
    if (!entry) return 404;
    return (await this.send("POST", `/v2/trash/${encodeURIComponent(entry.Id)}/restorefromtrash`)).status;
  }

  private async send(method: string, target: string, body?: unknown): Promise<SimResponse> {
    const q = target.indexOf("?");
    const rawPath = q < 0 ? target : target.slice(0, q);
    const found = this.person.router().match(method, rawPath);
    if (found === undefined || found === "method-not-allowed") return { status: found === undefined ? 404 : 405 };
    const ica = rawPath.startsWith("/ica/");
    return found.handler({
      method,
      path: rawPath.split("/").map(decodeURIComponent).join("/"),
      query: new URLSearchParams(q < 0 ? "" : target.slice(q + 1)),
      headers: ica
        ? { "x-api-key": this.person.apiKey, accept: "application/vnd.illumina.v3+json", "content-type": "application/vnd.illumina.v3+json" }
        : { authorization: `Bearer ${this.person.basespaceToken}`, "content-type": "application/json" },
      params: found.params,
      body: Buffer.from(body === undefined ? "" : JSON.stringify(body)),
      route: found.route,
    });
  }
}
