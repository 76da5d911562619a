#!/usr/bin/env node
// The `labtrail` command's entry. It lives outside dist/ so that npm links node_modules/.bin/labtrail
// on the very first `npm install` of a fresh clone, before anything is built.
const { spawnSync } = require("node:child_process");
const { existsSync, readdirSync } = require("node:fs");
const { join } = require("node:path");

const MIN_NODE_MAJOR = 22;

/** The Node that setup installed for the repository (scripts/node-runtime.mjs), newest first, if any. */
function projectNode() {
  const prefix = join(__dirname, "..", "..", ".labtrail-setup", "node");
  if (!existsSync(prefix)) return null;
  const versions = readdirSync(prefix).sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  for (const version of versions) {
    const modules = join(prefix, version, "node_modules");
    for (const name of existsSync(modules) ? readdirSync(modules) : []) {
      const binary = join(modules, name, "bin", "node");
      if (name.startsWith("node-") && existsSync(binary)) return binary;
    }
  }
  return null;
}

if (Number(process.versions.node.split(".")[0]) < MIN_NODE_MAJOR) {
  const node = projectNode();
  if (!node) {
    process.stderr.write(
      `error: labtrail needs Node ${MIN_NODE_MAJOR} or newer (this is ${process.version}); in the repository, \`npm run setup\` installs one for the project\n`,
    );
    process.exit(2);
  }
  const child = spawnSync(node, [__filename, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

try {
  require.resolve("../dist/cli/main.js");
} catch {
  process.stderr.write("error: labtrail is not built yet; run `npm run setup` (or `npm start` / `npm test`) in the repository first\n");
  process.exit(2);
}
// exitCode rather than exit(): lets stdout drain when it is a pipe.
require("../dist/cli/main.js")
  .main()
  .then((code) => {
    process.exitCode = code;
  });
