/*
 * The guest kernel of the test VM: a Debian kernel package fetched with `apt-get download` and unpacked with
 * `dpkg-deb -x` (never installed), cached in PWATCH_VM_CACHE (default ~/.cache/pwatch-vm) like code-server's
 * cache; or a kernel image given by path. Either way the answer is { image, root, release }: the bootable
 * image, the folder holding lib/modules/<release> (the initramfs takes its 9p, virtio and overlay modules from
 * there), and the release.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

// Debian's meta-package: the newest kernel of the machine's release (bookworm: 6.1).
const DEFAULT = 'linux-image-amd64';

/** kmod's tools live in /usr/sbin, which is not on an ordinary user's PATH. */
function sbin(tool) {
  return fs.existsSync(`/usr/sbin/${tool}`) ? `/usr/sbin/${tool}` : tool;
}

function cacheDir() {
  return process.env.PWATCH_VM_CACHE || path.join(os.homedir(), '.cache', 'pwatch-vm');
}

function aptShow(name) {
  let text;
  try {
    text = execFileSync('apt-cache', ['show', '--no-all-versions', name], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch {
    throw new Error(`no Debian package ${name} (apt-cache show failed; run apt-get update, or see apt-cache search linux-image)`);
  }
  const field = (key) => (text.match(new RegExp(`^${key}: (.*)$`, 'm')) || [])[1] || '';
  return { version: field('Version'), depends: field('Depends') };
}

/**
 * The package that holds the image itself. Meta-packages (linux-image-amd64, linux-image-6.12-amd64) contain
 * no kernel and depend on the one that does; image packages depend on kmod and initramfs tools, never on
 * another linux-image.
 */
function imagePackage(name) {
  for (let hops = 0; hops < 5; hops++) {
    const { version, depends } = aptShow(name);
    const next = depends.split(/,\s*/).map((d) => d.split(/[\s|(]/)[0]).find((d) => /^linux-image-/.test(d));
    if (!next) {
      return { name, version };
    }
    name = next;
  }
  throw new Error(`${name}: too many meta-packages in a row`);
}

function releaseIn(root) {
  const image = fs.readdirSync(path.join(root, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  if (!image) {
    throw new Error(`no boot/vmlinuz-* in ${root}`);
  }
  return { image: path.join(root, 'boot', image), release: image.slice('vmlinuz-'.length) };
}

/** Downloads and unpacks a kernel package once; a `done` file marks a complete unpack. */
function fromPackage(spec) {
  const pkg = imagePackage(spec);
  const dir = path.join(cacheDir(), `${pkg.name}_${pkg.version}`.replace(/[^\w.+-]/g, '_'));
  const root = path.join(dir, 'root');
  if (!fs.existsSync(path.join(dir, 'done'))) {
    console.log(`vm: fetching ${pkg.name} ${pkg.version} into ${dir}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // apt-get download writes into the current folder, as root with a warning that _apt cannot reach it.
    execFileSync('apt-get', ['download', '-q', `${pkg.name}=${pkg.version}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const deb = fs.readdirSync(dir).find((f) => f.endsWith('.deb'));
    execFileSync('dpkg-deb', ['-x', path.join(dir, deb), root]);
    fs.rmSync(path.join(dir, deb));
    // Debian ships no modules.dep: depmod writes it at install time, and modprobe needs it.
    execFileSync(sbin('depmod'), ['-b', root, releaseIn(root).release]);
    fs.writeFileSync(path.join(dir, 'done'), `${pkg.name} ${pkg.version}\n`);
  }
  return { root, ...releaseIn(root) };
}

/**
 * An image given by path, named vmlinuz-<release>; its modules are beside it as dpkg-deb -x leaves them
 * (<dir>/../lib/modules/<release>), or the machine's own (/lib/modules/<release>) for an installed kernel.
 */
function fromImage(image) {
  const release = path.basename(image).replace(/^vmlinuz-/, '');
  const root = [path.resolve(path.dirname(image), '..'), '/'].find((r) => fs.existsSync(path.join(r, 'lib', 'modules', release)));
  if (release === path.basename(image) || !root) {
    throw new Error(`${image}: expected an image named vmlinuz-<release> with lib/modules/<release> in .. or /`);
  }
  if (!fs.existsSync(path.join(root, 'lib', 'modules', release, 'modules.dep'))) {
    execFileSync(sbin('depmod'), ['-b', root, release]);
  }
  return { image: path.resolve(image), root, release };
}

/** `--kernel` as given: a path to an image, or a Debian package name (default: linux-image-amd64). */
function kernel(spec = DEFAULT) {
  return fs.existsSync(spec) ? fromImage(spec) : fromPackage(spec);
}

module.exports = { kernel, cacheDir, sbin, DEFAULT };
