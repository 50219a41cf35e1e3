import { z } from "zod";

/** Where ICA's analysis events arrive: an SQS queue the tool consumes, or an HTTP address it listens on. */
export type EventsTarget =
  | { kind: "sqs"; /** The queue URL ICA's channel names, e.g. https://sqs.eu-central-1.amazonaws.com/123456789012/ica-events. */ queueUrl: string }
  | {
      kind: "http";
      /** The interface and port the receiver listens on, and the path it answers. */
      host: string;
      port: number;
      path: string;
    };

const SQS_PREFIX = "sqs://";

/**
 * `sqs://<queue-url>` (the queue URL, with its scheme: `sqs://https://sqs.<region>.amazonaws.com/<account>/<queue>`)
 * or `http://host:port/path` (where the receiver listens; the ICA channel's address is the URL ICA can
 * reach, which `subscribe --address` gives when ICA reaches it through a proxy).
 */
export const eventsUrl = z
  .string()
  .trim()
  .transform((text, ctx): EventsTarget => {
    const fail = (why: string) => {
      ctx.addIssue({ code: "custom", message: why });
      return z.NEVER;
    };
    if (text.startsWith(SQS_PREFIX)) {
      let queue: URL;
      try {
        queue = new URL(text.slice(SQS_PREFIX.length));
      } catch {
        return fail(`"${text}" holds no queue URL after sqs://`);
      }
      if (queue.protocol !== "https:" && queue.protocol !== "http:") return fail(`the queue URL after sqs:// must be http(s), got ${queue.protocol}`);
      if (queue.pathname.split("/").filter(Boolean).length !== 2) return fail(`the queue URL after sqs:// must end in /<account>/<queue name>`);
      return { kind: "sqs", queueUrl: queue.href.replace(/\/+$/, "") };
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail(`"${text}" is neither sqs://<queue-url> nor http://host:port/path`);
    }
    if (url.protocol !== "http:") return fail(`the receiver speaks plain http (put TLS in a proxy in front of it), got ${url.protocol}`);
    if (url.port === "") return fail(`name the port the receiver listens on, e.g. http://0.0.0.0:8080${url.pathname}`);
    if (url.search !== "" || url.hash !== "") return fail("the receiver's URL takes no query or fragment");
    return { kind: "http", host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port), path: url.pathname };
  });
