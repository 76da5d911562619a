// The kernel side of the header contract: before a cell runs, check its header against the project's
// mode (off | warn | block). The kernel does it, so it holds in every frontend.
import type { ConfigResult } from "../config";
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

/** The gate for the config the kernel read at start. A broken config is reported on every cell. */
export function createHeaderGate(loaded: ConfigResult): HeaderGate {
  const settings = headerSettings(loaded);
  if (!loaded.ok) {
    const notice = `labtrail: ignoring the project config, using the defaults: ${loaded.error}`;
    return (code) => {
      const decision = gateCell(code, settings);
      return decision.run ? { run: true, notice: decision.notice ? `${notice}\n${decision.notice}` : notice } : decision;
    };
  }
  return (code) => gateCell(code, settings);
}
