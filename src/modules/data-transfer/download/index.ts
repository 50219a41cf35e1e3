export { downloadManifest, type FileResult } from "./download-manifest.js";
export { DownloadInputError, parseManifest } from "./manifest-rows.js";
