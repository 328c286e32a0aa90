#!/usr/bin/env node
// `npm run demo`: installs dependencies if missing, builds everything, compiles the test workspace and
// runs a scripted DAP session against real gdb, printing its transcript. No shell is used.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    console.error(`demo: '${command} ${args.join(' ')}' failed${result.error ? `: ${result.error.message}` : ''}`);
    process.exit(result.status || 1);
  }
}

if (!fs.existsSync(path.join(root, 'node_modules', '@vscode', 'debugadapter'))) {
  run(npm, ['ci', '--no-audit', '--no-fund']);
}
run(npm, ['run', '--silent', 'build']);
run(process.execPath, [path.join(root, 'out', 'scripts', 'demoSession.js')]);
