// tslab's package: where it is and its version, without loading any of it (tslab.ts loads its executor,
// and with it TypeScript, which the kernel loads only once it warms up).
import { dirname } from "node:path";

/** tslab's package directory. */
export const tslabDir = dirname(require.resolve("tslab/package.json"));

export const tslabVersion: string = require("tslab/package.json").version;
