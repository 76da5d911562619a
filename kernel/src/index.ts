// The package's main entry: the helpers cells use, importable for their types.
export * from "./api";
