export * from "./bssh-output.js";
export * from "./files-status.js";
export * from "./files-under.js";
export * from "./output-files.js";
export * from "./output-folder.js";
export * from "./output-folders.js";
export * from "./query-batches.js";
export * from "./find-data.js";
