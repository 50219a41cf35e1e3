// Only what is light: the transfer itself (downloadManifest) loads the AWS SDK, about 24 MB of resident
// memory, so the download command imports it when it runs, not every cycle through this barrel.
export type { FileResult } from "./download-manifest.js";
export { DownloadInputError, parseManifest } from "./manifest-rows.js";
