// The version of the TypeScript cells are compiled with, read without loading the compiler (about
// 9 MB of JavaScript): the kernel_info_reply names it before the kernel has loaded TypeScript.
export const typescriptVersion: string = require("typescript6/package.json").version;
