#!/usr/bin/env node
// The `labtrail` command's entry. It lives outside dist/ so that npm links node_modules/.bin/labtrail
// on the very first `npm install` of a fresh clone, before anything is built.
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
