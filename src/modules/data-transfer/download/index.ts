export { downloadManifest, type FileResult } from "./download-manifest.js";
export { DownloadInputError, parseManifest, type ManifestRow } from "./manifest-rows.js";
