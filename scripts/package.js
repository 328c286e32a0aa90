#!/usr/bin/env node
/*
 * npm run package: the .vsix for linux-x64 (webpack bundles and the prebuilt N-API addon beside them, no
 * compiler needed at install time), named pwatch-<version>-linux-x64.vsix, then checks what went in
 * (`vsce ls`) and prints its size. Run after `npm run build`.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { version } = require(path.join(root, 'package.json'));
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const out = path.join(root, `pwatch-${version}-linux-x64.vsix`);
// Exactly what an installed extension needs; anything else (sources, tests, dev files) is a packaging bug.
const EXPECTED = ['CHANGELOG.md', 'LICENSE', 'README.md', 'SECURITY.md', 'dist/adapter.js', 'dist/extension.js', 'dist/iced_x86_bg.wasm', 'dist/pwatch-exec', 'dist/pwatch.node', 'dist/terminalAgent.js', 'images/icon.png', 'package.json'];

const files = execFileSync(process.execPath, [vsce, 'ls'], { cwd: root }).toString().trim().split('\n').sort();
if (JSON.stringify(files) !== JSON.stringify(EXPECTED)) {
  console.error(`package: the .vsix would hold ${JSON.stringify(files)}, expected ${JSON.stringify(EXPECTED)}`);
  process.exit(1);
}
execFileSync(process.execPath, [vsce, 'package', '--target', 'linux-x64', '--allow-missing-repository', '--out', out], { cwd: root, stdio: 'inherit' });
console.log(`${path.basename(out)}: ${(fs.statSync(out).size / 1024).toFixed(0)} KiB, ${files.length} files`);
