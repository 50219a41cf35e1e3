export * from "./bssh-output.js";
export * from "./output-files.js";
export * from "./output-folder.js";
