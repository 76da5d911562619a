import { join } from "node:path";

/** labtrail's own version, read from its package.json (dist/ sits beside it). */
export const labtrailVersion: string = require(join(__dirname, "..", "package.json")).version;
