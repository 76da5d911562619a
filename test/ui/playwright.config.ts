/**
 * Galata (JupyterLab's UI test framework on Playwright) against a real JupyterLab from the project's
 * .venv, with the labtrail kernel and the built extension installed there, in Debian's Chromium.
 * Started by scripts/test.mjs, which picks the port (LABTRAIL_UI_PORT) and the browser (CHROMIUM_PATH).
 */
import * as path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const baseConfig = require("@jupyterlab/galata/lib/playwright-config");

const root = path.resolve(__dirname, "..", "..");
const venvBin = path.join(root, ".venv", "bin");
const port = Number(process.env.LABTRAIL_UI_PORT ?? 8888);
const serverLogDir = path.join(root, "test-results");
// The server's root is inside the repository, so notebooks resolve packages (zod, labtrail) from its
// node_modules as they do in examples/.
const serverRoot = path.join(root, "test-results", "ui-root");

// Without the networking flags Chromium keeps calling out to a network that is not there.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

module.exports = {
  ...baseConfig,
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: path.join(root, "test-results", "ui"),
  reporter: [["list"], ["html", { open: "never", outputFolder: path.join(root, "test-results", "ui-report") }]],
  // One JupyterLab, one browser: tests share the server and run one at a time on small machines.
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: {
    ...baseConfig.use,
    baseURL: `http://127.0.0.1:${port}`,
    // Galata's default records video, which needs a Playwright ffmpeg download that is not available.
    video: "off",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // The server's log goes to a file next to the other test results, not between the test lines.
    command: `mkdir -p ${serverLogDir} ${serverRoot} && exec ${path.join(venvBin, "jupyter")} lab --config ${path.join(__dirname, "jupyter_server_test_config.py")} >${path.join(serverLogDir, "jupyter-server.log")} 2>&1`,
    url: `http://127.0.0.1:${port}/lab`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      ...process.env,
      PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ""}`,
      LABTRAIL_UI_PORT: String(port),
      JUPYTERLAB_GALATA_ROOT_DIR: serverRoot,
    },
  },
};
