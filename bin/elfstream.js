#!/usr/bin/env node
// The `elfstream` command. Runs the compiled CLI (lib/, from `npm run build`) when there is one, else the
// TypeScript sources through tsx, so a checkout works without a build step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const compiled = path.join(root, 'lib', 'cli', 'main.js');
let entry = compiled;
if (!fs.existsSync(compiled)) {
  // Both hooks: `require` of .ts files, and the dynamic `import()`s the CLI uses to load heavy modules lazily.
  require('tsx/cjs/api').register();
  entry = path.join(root, 'src', 'cli', 'main.ts');
}
require(entry)
  .main(process.argv)
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
