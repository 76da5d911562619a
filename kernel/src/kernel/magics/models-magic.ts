// `%models`: the configured models and aliases, and whether each one's key variable is set.
import type { ModelsConfig } from "../../config";
import { modelsTable } from "../../models/models-table";
import type { LineMagic } from "./magic-cells";

export function modelsMagic(models: ModelsConfig, configFile: string | null, env: Readonly<Record<string, string | undefined>>): LineMagic {
  return {
    summary: "list the configured models and aliases, and whether each one's key variable is set",
    run(args, scope) {
      if (args.trim()) throw new Error(`%models takes no arguments, got "${args.trim()}"`);
      const table = modelsTable(models, env, configFile);
      scope.display({ data: { "text/plain": table.text, "text/markdown": table.markdown }, metadata: {} }, false);
    },
  };
}
