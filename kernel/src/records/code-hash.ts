// The kernel's code hash is the core's (one implementation for kernel, CLI and extension); records
// and the commands that match cells to records import it from here.
export { codeHash } from "../core";
