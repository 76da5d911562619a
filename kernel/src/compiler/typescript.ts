// The TypeScript the cell compiler is built on. 6.0.x is the last TypeScript with a JavaScript API
// (7.x, the native compiler, has none); it is installed as the npm alias `typescript6` so that it never
// collides with the `typescript` the repository builds itself with, nor with a project's own.
import ts = require("typescript6");

export { ts };
export type { default as TS } from "typescript6";
