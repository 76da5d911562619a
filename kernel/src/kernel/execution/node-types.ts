// Gives cells Node's types whatever the install layout (tslab's "Cannot find name 'console'").
//
// tslab looks for type roots from the notebook's directory upwards and, failing that, in
// `<tslab>/node_modules/@types` — which exists only when npm happened to nest @types/node under tslab.
// When the notebook's own tree has no @types/node, we make that fallback root resolve to the
// @types/node labtrail depends on (matched to the Node versions labtrail supports), and to nothing
// else, so other @types packages installed beside labtrail never leak into cells.
import { dirname, join } from "node:path";
import type * as TS from "@tslab/typescript-for-tslab";

type Sys = TS.System;

export function provideNodeTypes(ts: typeof TS, cwd: string, tslabDir: string): "project" | "labtrail" {
  const sys = ts.sys;
  const roots = ts.getDefaultTypeRoots(cwd, { directoryExists: (p) => sys.directoryExists(p) }) ?? [];
  if (roots.some((root) => sys.fileExists(join(root, "node", "package.json")))) return "project";

  const nodeTypesDir = dirname(require.resolve("@types/node/package.json"));
  const virtualRoot = join(tslabDir, "node_modules", "@types");
  const virtualNode = join(virtualRoot, "node");
  const forward = (path: string): string =>
    path === virtualNode || path.startsWith(`${virtualNode}/`) ? nodeTypesDir + path.slice(virtualNode.length) : path;

  const original = {
    fileExists: sys.fileExists,
    readFile: sys.readFile,
    directoryExists: sys.directoryExists,
    getDirectories: sys.getDirectories,
    readDirectory: sys.readDirectory,
    realpath: sys.realpath,
  };
  const patched: Partial<Sys> = {
    fileExists: (p) => original.fileExists.call(sys, forward(p)),
    readFile: (p, encoding) => original.readFile.call(sys, forward(p), encoding),
    directoryExists: (p) => p === virtualRoot || original.directoryExists.call(sys, forward(p)),
    getDirectories: (p) => (p === virtualRoot ? ["node"] : original.getDirectories.call(sys, forward(p))),
    readDirectory: (p, ...rest) => original.readDirectory.call(sys, forward(p), ...rest),
    realpath: original.realpath && ((p) => original.realpath!.call(sys, forward(p))),
  };
  Object.assign(sys, patched);
  return "labtrail";
}
