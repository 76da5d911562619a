const base = require("../ui/playwright.config");
module.exports = { ...base, testDir: __dirname, testMatch: "lab-readiness.spec.ts" };
