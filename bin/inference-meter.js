#!/usr/bin/env node
// Thin launcher so `npx inference-meter` works from a clone: the CLI itself is the esbuild bundle.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
	process.stderr.write(
		'inference-meter: dist/cli.js is missing; run `npm run build` first (npm ci runs it for you).\n',
	);
	process.exit(2);
}
require(bundle).runCli();
