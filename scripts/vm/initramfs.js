/*
 * The test VM's initramfs: busybox-static, the modules that reach the host's files (virtio PCI, 9p over
 * virtio, overlayfs) in the order modprobe would load them, and init.sh as /init. Built once per kernel and
 * init script, into the VM cache beside the kernels.
 */
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { cacheDir, sbin } = require('./kernel');

const MODULES = ['virtio_pci', '9pnet_virtio', '9p', 'overlay'];
const BUSYBOX = '/bin/busybox'; // busybox-static's: the initramfs has no libc
const INIT = path.join(__dirname, 'init.sh');

/** The module files to insmod, dependencies first, each once (modprobe repeats shared dependencies). */
function moduleFiles(kernel) {
  const plan = execFileSync(sbin('modprobe'), ['-a', '-d', kernel.root, '-S', kernel.release, '--show-depends', ...MODULES]).toString();
  // "insmod <path> [params]" for a module file, "builtin <name>" for what the kernel has built in.
  const files = plan.split('\n').filter((l) => l.startsWith('insmod ')).map((l) => l.split(/\s+/)[1]);
  return [...new Set(files)];
}

/** A module file as insmod takes it: Debian's 6.12 kernels ship .ko.xz, which busybox's insmod may not unpack. */
function uncompressed(file) {
  if (file.endsWith('.xz')) {
    return execFileSync('xz', ['-dc', file], { maxBuffer: 1 << 28 });
  }
  if (file.endsWith('.zst')) {
    return execFileSync('zstd', ['-dcq', file], { maxBuffer: 1 << 28 });
  }
  return file.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(file)) : fs.readFileSync(file);
}

/** Debian's plain busybox package puts a dynamically linked one at the same path: no PT_INTERP header here. */
function isStatic(file) {
  const elf = fs.readFileSync(file);
  const [phoff, phentsize, phnum] = [Number(elf.readBigUInt64LE(0x20)), elf.readUInt16LE(0x36), elf.readUInt16LE(0x38)];
  return ![...Array(phnum).keys()].some((i) => elf.readUInt32LE(phoff + i * phentsize) === 3);
}

function build(kernel, out) {
  if (!fs.existsSync(BUSYBOX) || !isStatic(BUSYBOX)) {
    throw new Error(`${BUSYBOX} is missing or not static: apt-get install busybox-static`);
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-initramfs-'));
  try {
    for (const dir of ['bin', 'dev', 'proc', 'sys', 'lower', 'rw', 'root', 'modules']) {
      fs.mkdirSync(path.join(stage, dir));
    }
    fs.copyFileSync(BUSYBOX, path.join(stage, 'bin', 'busybox'));
    fs.chmodSync(path.join(stage, 'bin', 'busybox'), 0o755);
    fs.copyFileSync(INIT, path.join(stage, 'init'));
    fs.chmodSync(path.join(stage, 'init'), 0o755);
    const names = moduleFiles(kernel).map((file) => {
      const name = path.basename(file).replace(/\.(xz|zst|gz)$/, '');
      fs.writeFileSync(path.join(stage, 'modules', name), uncompressed(file));
      return name;
    });
    fs.writeFileSync(path.join(stage, 'modules', 'order'), names.join('\n') + '\n');
    const list = execFileSync('find', ['.', '-mindepth', '1'], { cwd: stage });
    const cpio = execFileSync('cpio', ['-o', '-H', 'newc', '--quiet', '--owner=0:0'], { cwd: stage, input: list, maxBuffer: 1 << 28 });
    fs.writeFileSync(`${out}.tmp`, zlib.gzipSync(cpio));
    fs.renameSync(`${out}.tmp`, out);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** The initramfs for this kernel (its folder and release), rebuilt when init.sh changes. */
function initramfs(kernel) {
  const key = crypto.createHash('sha256').update(`${kernel.root}\n${kernel.release}\n`).update(fs.readFileSync(INIT)).digest('hex').slice(0, 12);
  const out = path.join(cacheDir(), 'initramfs', `${kernel.release}-${key}.cpio.gz`);
  if (!fs.existsSync(out)) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    build(kernel, out);
  }
  return out;
}

module.exports = { initramfs };
