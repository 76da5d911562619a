// The kernel side of the header contract: before a cell runs, check its header against the project's
// mode (off | warn | block). The kernel does it, so it holds in every frontend.
import { loadConfig } from "../config";
import { gateCell, type GateDecision } from "../core";

export type HeaderGate = (code: string) => GateDecision;

/**
 * Reads labtrail.config.json (nearest to the notebook's folder) and LABTRAIL_HEADER_MODE once, at
 * start. A broken config is reported on every cell, with the default mode in force meanwhile.
 */
export function createHeaderGate(notebookDir: string, log: (text: string) => void): HeaderGate {
  const loaded = loadConfig(notebookDir);
  if (!loaded.ok) {
    log(`config: ${loaded.error}`);
    const notice = `labtrail: ignoring the project config, using the defaults: ${loaded.error}`;
    return (code) => {
      const decision = gateCell(code, { mode: "warn" });
      return decision.run ? { run: true, notice: decision.notice ? `${notice}\n${decision.notice}` : notice } : decision;
    };
  }
  const { mode, required } = loaded.config.header;
  return (code) => gateCell(code, { mode, required });
}
