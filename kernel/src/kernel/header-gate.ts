// The kernel side of the header contract: before a cell runs, check its header against the project's
// mode (off | warn | block). The kernel does it, so it holds in every frontend.
import { configProblemText, type ConfigResult } from "../config";
import { DEFAULT_REQUIRED_KEYS, gateCell, type GateDecision, type HeaderKey, type HeaderMode } from "../core";

export type HeaderGate = (code: string) => GateDecision;

export interface HeaderSettings {
  mode: HeaderMode;
  required: readonly HeaderKey[];
}

/**
 * The header contract in force: the loaded config's (labtrail.config.json nearest to the notebook's
 * folder, and LABTRAIL_HEADER_MODE); with a broken config, warn mode and the default keys, so the
 * notice about the config reaches the user on every cell. The gate and kernel_info_reply both use it.
 */
export function headerSettings(loaded: ConfigResult): HeaderSettings {
  return loaded.ok ? loaded.config.header : { mode: "warn", required: DEFAULT_REQUIRED_KEYS };
}

/**
 * The gate for the config the kernel read at start. A broken config is said once, in the first cell
 * that runs (model calls then fail with it too), and headers are checked in warn mode meanwhile.
 */
export function createHeaderGate(loaded: ConfigResult): HeaderGate {
  const settings = headerSettings(loaded);
  if (!loaded.ok) {
    let pending: string | null = `${configProblemText(loaded)}; until then headers are checked in warn mode`;
    return (code) => {
      const decision = gateCell(code, settings);
      const notice = pending;
      if (!decision.run || notice === null) return decision;
      pending = null;
      return { run: true, notice: decision.notice ? `${notice}\n${decision.notice}` : notice };
    };
  }
  return (code) => gateCell(code, settings);
}
