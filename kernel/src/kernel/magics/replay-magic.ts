// `%replay <mode>`: the notebook's replay mode from here on (record | replay | refresh | off). An
// environment override (LABTRAIL_REPLAY_MODE, as `labtrail reproduce` sets) keeps precedence.
import { REPLAY_MODES, type ReplayMode } from "../../config";
import type { LineMagic } from "./magic-cells";

export class ReplayModeSetting {
  private session: ReplayMode | undefined;

  constructor(
    private readonly configured: ReplayMode,
    /** The variable that set the mode for this kernel, if any. */
    private readonly fromEnvironment: string | null,
  ) {}

  mode(): ReplayMode {
    return this.fromEnvironment ? this.configured : (this.session ?? this.configured);
  }

  /** `recordsFolder`: where the notebook's records are now (it follows a rename), null when unknown. */
  magic(recordsFolder: () => string | null): LineMagic {
    return {
      summary: `set how model calls replay: ${REPLAY_MODES.join(" | ")} (no argument: show the mode)`,
      run: (args, scope) => {
        const wanted = args.trim().toLowerCase();
        if (wanted && !(REPLAY_MODES as readonly string[]).includes(wanted)) {
          throw new Error(`%replay: unknown mode "${args.trim()}"; modes: ${REPLAY_MODES.join(", ")}`);
        }
        if (wanted) this.session = wanted as ReplayMode;
        const folder = recordsFolder();
        const where = folder ? `recordings in ${folder}` : "no recordings: the kernel does not know its notebook (set LABTRAIL_NOTEBOOK)";
        const override =
          this.fromEnvironment && wanted && wanted !== this.configured ? ` (${this.fromEnvironment} is set and takes precedence)` : "";
        scope.display({ data: { "text/plain": `replay mode: ${this.mode()}${override}; ${where}` }, metadata: {} }, false);
      },
    };
  }
}
