#!/usr/bin/env node
/*
 * Installs code-server (VS Code's workbench served over HTTP) for the end-to-end tests, outside the
 * project's dependencies, into a cache folder reused between runs: PWATCH_E2E_CACHE, or
 * ~/.cache/pwatch-e2e. Needs Debian's ripgrep (rg) and libkrb5-dev; see ../shared/E2E.md for the traps:
 *  - @vscode/ripgrep's postinstall downloads rg from GitHub: it is given Debian's rg in its cache instead;
 *  - node-pty's postinstall runs npx node-gyp (npm_config_yes) and, as root, code-server's postinstall
 *    needs npm_config_unsafe_perm.
 * Prints the path of code-server's launcher. No shell is involved: every command runs with execFileSync.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const VERSION = '4.100.3';
const RIPGREP = { cache: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };

function cacheDir() {
  return process.env.PWATCH_E2E_CACHE || path.join(os.homedir(), '.cache', 'pwatch-e2e');
}

function launcher(dir) {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function install() {
  const dir = cacheDir();
  const entry = launcher(dir);
  const pkg = path.join(dir, 'node_modules', 'code-server', 'package.json');
  if (fs.existsSync(entry) && JSON.parse(fs.readFileSync(pkg, 'utf8')).version === VERSION) {
    return entry;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pwatch-e2e-tools', private: true }) + '\n');
  const tmp = path.join(dir, 'tmp');
  const rgCache = path.join(tmp, RIPGREP.cache);
  fs.mkdirSync(rgCache, { recursive: true });
  const rg = execFileSync('which', ['rg']).toString().trim();
  const staging = fs.mkdtempSync(path.join(tmp, 'rg-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  execFileSync('tar', ['-czf', path.join(rgCache, RIPGREP.file), '-C', staging, 'rg']);
  const env = { ...process.env, TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' };
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${VERSION}`], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server installed, but ${entry} is missing`);
  }
  return entry;
}

if (require.main === module) {
  try {
    console.log(install());
  } catch (e) {
    console.error(`installing code-server failed: ${e.message}`);
    process.exit(1);
  }
}

module.exports = { install, cacheDir, launcher };
