// Which mode and keys the frontend enforces, from the settings and what the kernel reports.
import { kernelHeaderConfig, resolvePolicy } from "../../labextension/src/policies";
import { DEFAULT_SETTINGS, readSettings } from "../../labextension/src/settings";
import { nextAfter } from "../../labextension/src/notebook/undocumented";

const blockKernel = kernelHeaderConfig({
  status: "ok",
  labtrail: { version: "0.1.0", header: { mode: "block", required: ["tested", "found", "decision"] }, replay: "record" },
});

test("kernelHeaderConfig reads the labtrail kernel's report and nothing from other kernels", () => {
  expect(blockKernel).toEqual({ mode: "block", required: ["tested", "found", "decision"] });
  expect(kernelHeaderConfig({ status: "ok", implementation: "ipykernel" })).toBeNull();
  expect(kernelHeaderConfig({ labtrail: { header: { mode: "sometimes", required: [] } } })).toBeNull();
  expect(kernelHeaderConfig(undefined)).toBeNull();
});

test("by default the frontend follows the kernel; explicit settings win", () => {
  expect(resolvePolicy(DEFAULT_SETTINGS, "labtrail", blockKernel)).toEqual({
    applies: true,
    mode: "block",
    required: ["tested", "found", "decision"],
    modeSource: "kernel",
  });
  // Before the kernel has answered (or a kernel that says nothing): warn, Tested and Found.
  expect(resolvePolicy(DEFAULT_SETTINGS, "labtrail", null)).toEqual({
    applies: true,
    mode: "warn",
    required: ["tested", "found"],
    modeSource: "settings",
  });
  const explicit = readSettings({ enforcement: "off", requiredFields: ["tested"] });
  expect(resolvePolicy(explicit, "labtrail", blockKernel)).toMatchObject({ mode: "off", required: ["tested"], modeSource: "settings" });
});

test("labtrail applies to the configured kernels, or to every notebook when the setting says so", () => {
  expect(resolvePolicy(DEFAULT_SETTINGS, "python3", null).applies).toBe(false);
  expect(resolvePolicy(DEFAULT_SETTINGS, null, null).applies).toBe(false);
  expect(resolvePolicy(readSettings({ kernels: ["tslab"] }), "tslab", null).applies).toBe(true);
  expect(resolvePolicy(readSettings({ allNotebooks: true }), "python3", null).applies).toBe(true);
});

test("nextAfter walks forward and wraps around", () => {
  expect(nextAfter([2, 5, 9], 0)).toBe(2);
  expect(nextAfter([2, 5, 9], 5)).toBe(9);
  expect(nextAfter([2, 5, 9], 9)).toBe(2);
  expect(nextAfter([], 3)).toBe(-1);
});
