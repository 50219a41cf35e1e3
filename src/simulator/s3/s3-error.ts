/** A refused S3 request; s3-handler.ts renders it as S3's `<Error>` XML. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers S3 sends with this error (a 416 names the object size in Content-Range). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "S3Error";
  }
}

export const accessDenied = (message: string) => new S3Error(403, "AccessDenied", message);
export const invalidRequest = (message: string) => new S3Error(400, "InvalidRequest", message);
export const invalidArgument = (message: string) => new S3Error(400, "InvalidArgument", message);
export const notImplemented = (message: string) => new S3Error(501, "NotImplemented", message);
