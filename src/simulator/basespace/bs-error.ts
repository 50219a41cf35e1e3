import { ERROR_CODES } from "./assumptions.js";

/** A failed BaseSpace call; route-kit.ts renders it as a V2Error or a v1pre3 ResponseStatus. */
export class BsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly additionalData: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "BsError";
  }
}

export const unauthorized = (message: string) => new BsError(401, ERROR_CODES.unauthorized, message);
export const forbidden = (message: string, data?: Record<string, unknown>) =>
  new BsError(403, ERROR_CODES.forbidden, message, data);
export const notFound = (message: string) => new BsError(404, ERROR_CODES.notFound, message);
export const badRequest = (message: string, data?: Record<string, unknown>) =>
  new BsError(400, ERROR_CODES.badRequest, message, data);
export const unsupportedMediaType = (message: string) => new BsError(415, ERROR_CODES.unsupportedMediaType, message);
export const removed = (message: string) => new BsError(410, ERROR_CODES.removed, message);
