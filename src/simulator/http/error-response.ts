import { STATUS_CODES } from "node:http";
import type { SimResponse } from "./router.js";

/** Each service reports errors in its own shape, and clients parse that shape: so do the simulator's own errors. */
export type ErrorFlavor = "ica" | "basespace-v1pre3" | "basespace-v2" | "s3" | "control";

export interface ErrorContext {
  nowMs: number;
  /** Shown as the service's request id, so a test failure can be matched with `/__sim/requests`. */
  requestId: string;
}

/** For the server that hosts ICA, BaseSpace and the control plane (S3 has a server of its own). */
export function errorFlavorForPath(path: string): ErrorFlavor {
  if (path.startsWith("/ica/")) return "ica";
  if (path.startsWith("/v1pre3/")) return "basespace-v1pre3";
  if (path.startsWith("/v2/")) return "basespace-v2";
  return "control";
}

/** Error codes as BaseSpace and S3 spell them; ICA uses the RFC 7807 title instead. */
const codes: Record<number, { basespace: string; s3: string }> = {
  400: { basespace: "BadRequest", s3: "InvalidRequest" },
  404: { basespace: "NotFound", s3: "NotFound" },
  405: { basespace: "MethodNotAllowed", s3: "MethodNotAllowed" },
  429: { basespace: "TooManyRequests", s3: "TooManyRequests" },
  500: { basespace: "InternalServerError", s3: "InternalError" },
  502: { basespace: "BadGateway", s3: "BadGateway" },
  503: { basespace: "ServiceUnavailable", s3: "SlowDown" },
};

export function errorResponse(flavor: ErrorFlavor, status: number, message: string, context: ErrorContext): SimResponse {
  const title = STATUS_CODES[status] ?? "Error";
  const code = codes[status] ?? { basespace: title.replace(/\W/g, ""), s3: title.replace(/\W/g, "") };
  switch (flavor) {
    case "ica":
      // Problem (RFC 7807), spec L13165; "about:blank" means the title is the HTTP status phrase.
      return {
        status,
        headers: { "content-type": "application/problem+json" },
        body: {
          type: "about:blank",
          title,
          status,
          detail: message,
          parameters: { requestId: context.requestId },
          timestamp: new Date(context.nowMs).toISOString(),
        },
      };
    case "basespace-v2":
      return {
        status,
        body: { ErrorCode: code.basespace, ErrorMessage: message, RequestId: context.requestId, AdditionalData: {} },
      };
    case "basespace-v1pre3":
      return {
        status,
        body: { ResponseStatus: { ErrorCode: code.basespace, Message: message, Errors: [] }, Notifications: [] },
      };
    case "s3":
      return {
        status,
        headers: { "content-type": "application/xml" },
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code.s3}</Code>` +
          `<Message>${escapeXml(message)}</Message><RequestId>${context.requestId}</RequestId></Error>`,
      };
    case "control":
      return { status, body: { error: message } };
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
