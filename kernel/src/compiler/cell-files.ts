// The virtual files the language service sees, all in the notebook's folder so that a cell's relative
// imports resolve as they would from a file beside the notebook:
//   - one file per live cell, keyed by its JupyterLab cell id: the cell's source and an
//     `export { … }` of every name it declares. A rerun replaces it; a deleted cell drops it.
//   - the pending cell: the source being compiled (or completed) now, not yet run.
//   - the scope file, which makes each live name global, taken from the cell that ran it last. The
//     pending cell's own declarations shadow these globals, which is how a later cell declares a name
//     again: nothing is redeclared in one scope.
//   - `@module` cells, as `<name>.ts`, importable as "./<name>".
//
// Live cells are kept in a pool of slot files, allocated a batch at a time and imported by the scope
// file from the start; a free slot is an empty module. So a cell that declares a name only changes the
// text of a slot and of the scope file, never the file list or the scope file's imports, and the
// language service reuses the previous program's structure whole (a new file list would make it walk
// and resolve every file again: tens of milliseconds a cell). JSX cells get a `.tsx` file of their own.
import { join } from "node:path";
import { type TopLevelName, topLevelNames } from "./top-level-names";
import { ts } from "./typescript";

export interface VirtualFile {
  text: string;
  version: number;
}

interface LiveCell {
  key: string;
  path: string;
  names: TopLevelName[];
}

const PREFIX = "__labtrail";
const SLOTS_PER_BATCH = 32;
const FREE_SLOT = "export {};\n";

export class CellFiles {
  private readonly files = new Map<string, VirtualFile>();
  /** In the order they last ran: a later cell's name wins. */
  private readonly live = new Map<string, LiveCell>();
  private serial = 0;
  /** Every slot file allocated, in order (the scope file imports each), and those free now. */
  private readonly slots: string[] = [];
  private readonly freeSlots: string[] = [];
  readonly scopePath: string;

  constructor(readonly dir: string) {
    this.scopePath = join(dir, `${PREFIX}_scope__.d.ts`);
    // The first batch of slots is there from the first program on, so the first cell that declares a
    // name (the helpers' import, at warm-up) changes no file list either.
    this.addSlots();
    this.writeScope();
  }

  get(path: string): VirtualFile | undefined {
    return this.files.get(path);
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  /** Sets the pending cell's source; returns its path and the text the compiler sees (source + exports). */
  setPending(source: string, jsx: boolean): { path: string; text: string; names: TopLevelName[] } {
    const path = join(this.dir, `${PREFIX}_cell__.${jsx ? "tsx" : "ts"}`);
    const other = join(this.dir, `${PREFIX}_cell__.${jsx ? "ts" : "tsx"}`);
    this.files.delete(other);
    const parsed = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false, jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const names = topLevelNames(parsed);
    const text = withExports(source, names);
    this.write(path, text);
    return { path, text, names };
  }

  /**
   * Makes a compiled cell live under `key`, replacing what that key ran before. `text` is what the
   * pending file held when the cell was compiled (a completion request may have changed it since).
   */
  commit(key: string, compiled: { path: string; text: string; names: TopLevelName[] }): void {
    const { text, names } = compiled;
    this.removeLive(key);
    if (names.length > 0) {
      const path = compiled.path.endsWith("x") ? this.newCellPath(".tsx") : this.takeSlot();
      this.write(path, text);
      this.live.set(key, { key, path, names });
    }
    this.writeScope();
  }

  /** Forgets the cells of these keys (deleted in the notebook): later cells no longer see their names. */
  drop(keys: readonly string[]): void {
    let changed = false;
    for (const key of keys) changed = this.removeLive(key) || changed;
    if (changed) this.writeScope();
  }

  /** Adds or replaces an `@module` cell; returns its path. */
  setModule(name: string, source: string, jsx: boolean): string {
    const path = join(this.dir, `${name}.${jsx ? "tsx" : "ts"}`);
    this.files.delete(join(this.dir, `${name}.${jsx ? "ts" : "tsx"}`));
    this.write(path, source);
    return path;
  }

  /** The live cell a global name of the scope file comes from, and how that cell declared it. */
  ownerOf(name: string): { path: string; name: TopLevelName } | undefined {
    let owner: { path: string; name: TopLevelName } | undefined;
    for (const cell of this.live.values()) {
      const declared = cell.names.find((n) => n.name === name);
      if (declared) owner = { path: cell.path, name: declared };
    }
    return owner;
  }

  isCellFile(path: string): boolean {
    return path.startsWith(join(this.dir, PREFIX));
  }

  private removeLive(key: string): boolean {
    const cell = this.live.get(key);
    if (!cell) return false;
    if (this.slots.includes(cell.path)) {
      this.write(cell.path, FREE_SLOT);
      this.freeSlots.push(cell.path);
    } else {
      this.files.delete(cell.path);
    }
    this.live.delete(key);
    return true;
  }

  private takeSlot(): string {
    if (this.freeSlots.length === 0) this.addSlots();
    return this.freeSlots.shift()!;
  }

  private addSlots(): void {
    for (let i = 0; i < SLOTS_PER_BATCH; i++) {
      const path = this.newCellPath(".ts");
      this.write(path, FREE_SLOT);
      this.slots.push(path);
      this.freeSlots.push(path);
    }
  }

  private newCellPath(extension: ".ts" | ".tsx"): string {
    return join(this.dir, `${PREFIX}_cell_${++this.serial}__${extension}`);
  }

  private write(path: string, text: string): void {
    const current = this.files.get(path);
    if (current?.text === text) return;
    this.files.set(path, { text, version: (current?.version ?? 0) + 1 });
  }

  private writeScope(): void {
    const owner = new Map<string, { cell: LiveCell; name: TopLevelName }>();
    for (const cell of this.live.values()) for (const name of cell.names) owner.set(name.name, { cell, name });
    // Every slot is imported, used or not, so that the imports change only when slots are added.
    const aliases = new Map<string, string>();
    const imports: string[] = [];
    const importOf = (path: string) => {
      const alias = `$cell${aliases.size + 1}`;
      aliases.set(path, alias);
      imports.push(`import * as ${alias} from ${JSON.stringify(`./${basenameWithoutExtension(path)}`)};`);
      return alias;
    };
    for (const slot of this.slots) importOf(slot);
    const globals: string[] = [];
    for (const [name, { cell, name: declared }] of owner) {
      const alias = aliases.get(cell.path) ?? importOf(cell.path);
      // Variables keep their kind (a later cell may assign a `let`); everything else is an alias,
      // which carries a class's, enum's or import's every meaning (value, type, namespace).
      if (declared.kind === "alias") globals.push(`  export import ${name} = ${alias}.${name};`);
      else globals.push(`  ${declared.kind === "assignable" ? "let" : "const"} ${name}: typeof ${alias}.${name};`);
    }
    this.write(this.scopePath, `${imports.join("\n")}\ndeclare global {\n${globals.join("\n")}\n}\nexport {};\n`);
  }
}

function withExports(source: string, names: TopLevelName[]): string {
  const unexported = names.filter((n) => !n.exported).map((n) => n.name);
  // After the source, on a line of its own, so positions in the cell are positions in the file.
  return unexported.length > 0 ? `${source}\nexport { ${unexported.join(", ")} };\n` : source;
}

function basenameWithoutExtension(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.replace(/\.tsx?$/, "");
}
