// Gives cells Node's types whatever the install layout (tslab's "Cannot find name 'console'").
//
// TypeScript looks for type roots (node_modules/@types) from the notebook's folder upwards. When none
// of them has @types/node, one more root is added: a virtual folder whose only entry, `node`, is the
// @types/node labtrail depends on (matched to the Node versions labtrail supports). So other @types
// packages installed beside labtrail never leak into cells.
import { dirname, join } from "node:path";
import { ts } from "./typescript";

export interface NodeTypes {
  /** Where Node's types come from. */
  from: "project" | "labtrail";
  typeRoots: string[];
  /** Maps a path under the virtual root to the real file (other paths unchanged). */
  forward(path: string): string;
  /** Whether `path` is the virtual root itself (it exists nowhere on disk). */
  isVirtualRoot(path: string): boolean;
}

const VIRTUAL_ROOT = join(dirname(dirname(__dirname)), "__labtrail_types__");

export function nodeTypes(options: ts.CompilerOptions, notebookDir: string): NodeTypes {
  // Every node_modules/@types from the notebook's folder up (or the tsconfig's typeRoots), existing or not.
  const roots = ts.getEffectiveTypeRoots({ ...options, configFilePath: undefined }, { getCurrentDirectory: () => notebookDir }) ?? [];
  const identity: NodeTypes = { from: "project", typeRoots: roots, forward: (path) => path, isVirtualRoot: () => false };
  if (roots.some((root) => ts.sys.fileExists(join(root, "node", "package.json")))) return identity;

  const nodeTypesDir = dirname(require.resolve("@types/node/package.json"));
  const virtualNode = join(VIRTUAL_ROOT, "node");
  return {
    from: "labtrail",
    typeRoots: [...roots, VIRTUAL_ROOT],
    forward: (path) => (path === virtualNode || path.startsWith(`${virtualNode}/`) ? nodeTypesDir + path.slice(virtualNode.length) : path),
    isVirtualRoot: (path) => path === VIRTUAL_ROOT,
  };
}
