/**
 * How model calls use the recordings beside the notebook (README, "Runs, replay and verdicts"): the
 * config's `replay.mode`, LABTRAIL_REPLAY_MODE and `%replay` pick one; the kernel reports it to frontends.
 */

/** record: replay a hit, call and store a miss; replay: hits only; refresh: always call, overwrite; off. */
export const REPLAY_MODES = ["record", "replay", "refresh", "off"] as const;
export type ReplayMode = (typeof REPLAY_MODES)[number];
