// One jest run covers unit tests of the pure core, CLI tests on real files and kernel tests over the
// real Jupyter protocol. `npm test` builds and registers everything first (scripts/setup.mjs).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/test/tsconfig.json" }],
    // JupyterLab's packages ship ES modules; the extension's unit tests load its null translator.
    "/node_modules/@jupyterlab/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!@jupyterlab/)"],
  testEnvironment: "node",
  // As in the test tsconfigs: the extension's `labtrail/core` is the core's source, the code tsc checked.
  moduleNameMapper: { "^labtrail/core$": "<rootDir>/kernel/src/core/index.ts" },
  // The venvs hold JupyterLab's and MLflow's builds, whose package.json names collide in jest's module map.
  modulePathIgnorePatterns: ["<rootDir>/.venv/", "<rootDir>/.labtrail-setup/"],
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
