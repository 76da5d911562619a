// The kernel side of the header contract: before a cell runs, check its header against the project's
// mode (off | warn | block). The kernel does it, so it holds in every frontend.
import type { ConfigResult } from "../config";
import { gateCell, type GateDecision } from "../core";

export type HeaderGate = (code: string) => GateDecision;

/**
 * Applies the config the kernel read at start (labtrail.config.json nearest to the notebook's folder,
 * and LABTRAIL_HEADER_MODE). A broken config is reported on every cell, with the default mode in force.
 */
export function createHeaderGate(loaded: ConfigResult): HeaderGate {
  if (!loaded.ok) {
    const notice = `labtrail: ignoring the project config, using the defaults: ${loaded.error}`;
    return (code) => {
      const decision = gateCell(code, { mode: "warn" });
      return decision.run ? { run: true, notice: decision.notice ? `${notice}\n${decision.notice}` : notice } : decision;
    };
  }
  const { mode, required } = loaded.config.header;
  return (code) => gateCell(code, { mode, required });
}
