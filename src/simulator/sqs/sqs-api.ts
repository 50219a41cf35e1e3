import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { describeZodError } from "../zod-error.js";
import { QueueDoesNotExist, type SqsQueues } from "./sqs-queues.js";

/** The account id in the simulator's queue URLs (SQS's own documentation uses it for examples). */
const ACCOUNT = "000000000000";
/** SQS limits: at most 10 messages per receive, 20 s of long polling, 12 h of visibility. */
const MAX_MESSAGES = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
/** A queue's default VisibilityTimeout (SQS: 30 s). */
const DEFAULT_VISIBILITY_SECONDS = 30;

const queueName = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, "a queue name is 1-80 letters, digits, - or _");
const queueUrl = z.string().url();
const operations = {
  CreateQueue: z.object({ QueueName: queueName }),
  GetQueueUrl: z.object({ QueueName: queueName }),
  SendMessage: z.object({ QueueUrl: queueUrl, MessageBody: z.string().min(1) }),
  ReceiveMessage: z.object({
    QueueUrl: queueUrl,
    MaxNumberOfMessages: z.number().int().min(1).max(MAX_MESSAGES).optional(),
    WaitTimeSeconds: z.number().int().min(0).max(MAX_WAIT_SECONDS).optional(),
    VisibilityTimeout: z.number().int().min(0).max(MAX_VISIBILITY_SECONDS).optional(),
  }),
  DeleteMessage: z.object({ QueueUrl: queueUrl, ReceiptHandle: z.string().min(1) }),
  ChangeMessageVisibility: z.object({
    QueueUrl: queueUrl,
    ReceiptHandle: z.string().min(1),
    VisibilityTimeout: z.number().int().min(0).max(MAX_VISIBILITY_SECONDS),
  }),
};
type Operation = keyof typeof operations;

interface SqsReply {
  status: number;
  body: unknown;
  /** awsQueryCompatible clients read the error code from `x-amzn-query-error`. */
  queryError?: string;
}

const fault = (status: number, type: string, message: string, queryError?: string): SqsReply => ({
  status,
  body: { __type: `com.amazonaws.sqs#${type}`, message },
  ...(queryError ? { queryError: `${queryError};Sender` } : {}),
});

/** The queue a URL names: its last path segment, whatever the host (an ICA channel may name a real AWS URL). */
export function queueNameOf(url: string): string {
  return new URL(url).pathname.split("/").filter(Boolean).pop() ?? "";
}

/**
 * A minimal SQS endpoint speaking the AWS JSON 1.0 protocol that `@aws-sdk/client-sqs` v3 uses
 * (`POST /`, `X-Amz-Target: AmazonSQS.<Operation>`, `application/x-amz-json-1.0`): CreateQueue,
 * GetQueueUrl, SendMessage, ReceiveMessage (long polling, visibility timeout), DeleteMessage and
 * ChangeMessageVisibility. Signatures are not checked: the queue is the lab's, not ICA's, and
 * nothing the simulator checks depends on AWS credentials.
 */
export function sqsHandler(queues: SqsQueues, baseUrl: () => string, signal: AbortSignal) {
  const urlOf = (name: string) => `${baseUrl()}/${ACCOUNT}/${name}`;

  const run = async (operation: Operation, input: unknown): Promise<SqsReply> => {
    const parsed = operations[operation].safeParse(input);
    if (!parsed.success) return fault(400, "InvalidParameterValue", `${operation}: ${describeZodError(parsed.error)}`);
    const params = parsed.data as Record<string, unknown>;
    const name = typeof params.QueueUrl === "string" ? queueNameOf(params.QueueUrl) : String(params.QueueName);
    switch (operation) {
      case "CreateQueue":
        queues.create(name);
        return { status: 200, body: { QueueUrl: urlOf(name) } };
      case "GetQueueUrl":
        if (!queues.has(name)) throw new QueueDoesNotExist(name);
        return { status: 200, body: { QueueUrl: urlOf(name) } };
      case "SendMessage": {
        const sent = queues.send(name, params.MessageBody as string);
        return { status: 200, body: { MessageId: sent.id, MD5OfMessageBody: sent.md5 } };
      }
      case "ReceiveMessage": {
        const p = params as z.output<(typeof operations)["ReceiveMessage"]>;
        const messages = await queues.receive(name, {
          maxMessages: p.MaxNumberOfMessages ?? 1,
          waitMs: (p.WaitTimeSeconds ?? 0) * 1000,
          visibilityMs: (p.VisibilityTimeout ?? DEFAULT_VISIBILITY_SECONDS) * 1000,
          signal,
        });
        return { status: 200, body: messages.length > 0 ? { Messages: messages } : {} };
      }
      case "DeleteMessage":
        return queues.delete(name, params.ReceiptHandle as string)
          ? { status: 200, body: {} }
          : fault(400, "ReceiptHandleIsInvalid", `the receipt handle is not the latest receipt of a message in ${name}`, "ReceiptHandleIsInvalid");
      case "ChangeMessageVisibility":
        return queues.changeVisibility(name, params.ReceiptHandle as string, (params.VisibilityTimeout as number) * 1000)
          ? { status: 200, body: {} }
          : fault(400, "ReceiptHandleIsInvalid", `the receipt handle is not the latest receipt of a message in ${name}`, "ReceiptHandleIsInvalid");
    }
  };

  const answer = async (req: IncomingMessage, body: string): Promise<SqsReply> => {
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith("AmazonSQS.") ? target.slice("AmazonSQS.".length) : "";
    if (req.method !== "POST" || !(operation in operations)) {
      return fault(400, "InvalidAction", `${req.method} with X-Amz-Target "${target}" is not an SQS operation the simulator serves (${Object.keys(operations).join(", ")})`);
    }
    let input: unknown;
    try {
      input = JSON.parse(body || "{}");
    } catch {
      return fault(400, "InvalidParameterValue", "the body is not JSON");
    }
    try {
      return await run(operation as Operation, input);
    } catch (error) {
      if (error instanceof QueueDoesNotExist) return fault(400, "QueueDoesNotExist", error.message, "AWS.SimpleQueueService.NonExistentQueue");
      throw error;
    }
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      answer(req, Buffer.concat(chunks).toString("utf8")).then(
        (reply) => {
          const text = JSON.stringify(reply.body);
          res.writeHead(reply.status, {
            "content-type": "application/x-amz-json-1.0",
            "content-length": Buffer.byteLength(text),
            ...(reply.queryError ? { "x-amzn-query-error": reply.queryError } : {}),
          });
          res.end(text);
        },
        () => res.destroy(),
      );
    });
  };
}
