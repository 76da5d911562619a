// Module and type-reference resolution for the language service, remembered.
//
// A cell that declares a name adds a file to the program, and a program whose file list changed reuses
// none of the old one's resolutions: without this cache every such cell resolves again each import and
// `/// <reference>` of @types/node and of every package the cells use, and each cell file's implicit
// `react/jsx-runtime` import — most of a declaring cell's time.
//   - From installed files (packages, TypeScript's libs, Node's types), which do not change while the
//     kernel runs, a resolution is kept for the kernel's lifetime.
//   - From the notebook's own files it is kept for one program only, so a module written or a package
//     installed while the kernel runs is found by the next cell, as TypeScript itself would find it.
// A resolution depends on the folder of the file it is made from, not on the file: that is the key.
import { dirname } from "node:path";
import { ts } from "./typescript";

type ResolvedModule = ts.ResolvedModuleWithFailedLookupLocations;
type ResolvedTypeReference = ts.ResolvedTypeReferenceDirectiveWithFailedLookupLocations;

interface Remembered<R> {
  installed: Map<string, R>;
  notebook: Map<string, R>;
}

export class ResolutionCache {
  private readonly modules: Remembered<ResolvedModule> = { installed: new Map(), notebook: new Map() };
  private readonly typeReferences: Remembered<ResolvedTypeReference> = { installed: new Map(), notebook: new Map() };
  /**
   * TypeScript's own caches, for the lookups between resolutions (folders, package.json files, each
   * file's module format) made from installed files; a language service with resolution of its own
   * would otherwise repeat them for every program.
   */
  readonly shared: ts.ModuleResolutionCache;
  private readonly sharedTypeReferences: ts.TypeReferenceDirectiveResolutionCache;

  constructor(
    private readonly host: ts.ModuleResolutionHost,
    options: ts.CompilerOptions,
    /** Whether a file is installed: resolutions made from it are kept for the kernel's lifetime. */
    private readonly isInstalled: (containingFile: string) => boolean,
  ) {
    const dir = host.getCurrentDirectory?.() ?? "/";
    this.shared = ts.createModuleResolutionCache(dir, (name) => name, options);
    this.sharedTypeReferences = ts.createTypeReferenceDirectiveResolutionCache(
      dir,
      (name) => name,
      options,
      this.shared.getPackageJsonInfoCache(),
    );
  }

  /** A new program is about to be built: the notebook's files are resolved afresh. */
  nextProgram(): void {
    this.modules.notebook.clear();
    this.typeReferences.notebook.clear();
  }

  resolveModuleNameLiterals(
    literals: readonly ts.StringLiteralLike[],
    containingFile: string,
    redirectedReference: ts.ResolvedProjectReference | undefined,
    options: ts.CompilerOptions,
    containingSourceFile: ts.SourceFile,
    _reusedNames?: readonly ts.StringLiteralLike[],
  ): readonly ResolvedModule[] {
    const installed = this.isInstalled(containingFile);
    const cache = installed ? this.shared : undefined;
    return literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, options);
      return this.remembered(this.modules, installed, key(containingFile, redirectedReference, mode, literal.text), () =>
        ts.resolveModuleName(literal.text, containingFile, options, this.host, cache, redirectedReference, mode),
      );
    });
  }

  resolveTypeReferenceDirectiveReferences<T extends ts.FileReference | string>(
    references: readonly T[],
    containingFile: string,
    redirectedReference: ts.ResolvedProjectReference | undefined,
    options: ts.CompilerOptions,
    containingSourceFile: ts.SourceFile | undefined,
    _reusedNames?: readonly T[],
  ): readonly ResolvedTypeReference[] {
    const installed = this.isInstalled(containingFile);
    const cache = installed ? this.sharedTypeReferences : undefined;
    return references.map((reference) => {
      const name = typeof reference === "string" ? reference : reference.fileName.toLowerCase();
      const mode = ts.getModeForFileReference(reference, containingSourceFile?.impliedNodeFormat);
      return this.remembered(this.typeReferences, installed, key(containingFile, redirectedReference, mode, name), () =>
        ts.resolveTypeReferenceDirective(name, containingFile, options, this.host, redirectedReference, cache, mode),
      );
    });
  }

  private remembered<R>(caches: Remembered<R>, installed: boolean, key: string, resolve: () => R): R {
    const cache = installed ? caches.installed : caches.notebook;
    let resolved = cache.get(key);
    if (resolved === undefined) {
      resolved = resolve();
      cache.set(key, resolved);
    }
    return resolved;
  }
}

function key(containingFile: string, redirected: ts.ResolvedProjectReference | undefined, mode: ts.ResolutionMode, name: string): string {
  return [dirname(containingFile), redirected?.sourceFile.fileName ?? "", mode ?? "", name].join("\0");
}
