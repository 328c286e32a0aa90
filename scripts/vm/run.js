#!/usr/bin/env node
/*
 * npm run test:vm -- [--kernel PACKAGE_OR_IMAGE] [--cpu MODEL] [--accel ACCEL] [--timeout SECONDS]
 *                    [--run COMMAND ARGS... | mocha files and options]
 *
 * Runs tests where debug registers fire whatever the machine: in a VM on QEMU's software CPU (TCG, no KVM
 * needed), which emulates them. The guest boots a Debian kernel (kernel.js) with a small initramfs
 * (initramfs.js), sees this machine's root file system read-only with a tmpfs for writes (init.sh), and runs
 * mocha there with this working folder and environment (guest.js). Output streams back over the serial
 * console; the exit status is the tests'. Default: every test file that asks whether hardware watchpoints
 * fire. `--run` runs any command in the guest instead, e.g. `--run node -e "..."`.
 * PWATCH_VM_QEMU_ARGS adds QEMU options (split on spaces), e.g. "-icount shift=auto".
 */
'use strict';
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { kernel: findKernel, sbin, DEFAULT } = require('./kernel');
const { initramfs } = require('./initramfs');

const ROOT = path.resolve(__dirname, '..', '..');
const QEMU = 'qemu-system-x86_64';
// What each tool of the bench comes from; xz unpacks modules (Debian's 6.12 kernels ship them as .ko.xz).
const TOOLS = { [QEMU]: 'qemu-system-x86', '/bin/busybox': 'busybox-static', [sbin('modprobe')]: 'kmod', cpio: 'cpio', xz: 'xz-utils' };
const INSTALL = 'apt-get install -y qemu-system-x86 busybox-static kmod cpio xz-utils';
// The host's settings the tests depend on, copied into the guest (guest.js).
const SYSCTL = ['/proc/sys/kernel/perf_event_paranoid', '/proc/sys/kernel/yama/ptrace_scope'];

function parseArgs(argv) {
  const opts = { kernel: DEFAULT, cpu: 'max', accel: 'tcg', timeout: 3600, run: null, mocha: [] };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].slice(2);
    if (argv[i] === '--run') {
      opts.run = argv.slice(i + 1);
      break;
    } else if (['--kernel', '--cpu', '--accel', '--timeout'].includes(argv[i]) && i + 1 < argv.length) {
      opts[name] = name === 'timeout' ? Number(argv[++i]) : argv[++i];
    } else {
      opts.mocha.push(argv[i]);
    }
  }
  return opts;
}

/** The compiled test files that need debug registers that fire: they ask test/machine.ts (or the harness). */
function hardwareTests() {
  const needs = /requireFiringWatchpoints|requireWatchpoints|hardwareVerdict|'watchpoints'/;
  const files = [];
  for (const dir of ['unit', 'integration', 'reliability']) {
    for (const file of fs.readdirSync(path.join(ROOT, 'test', dir)).sort()) {
      if (file.endsWith('.test.ts') && needs.test(fs.readFileSync(path.join(ROOT, 'test', dir, file), 'utf8'))) {
        files.push(path.join('out', 'test', dir, file.replace(/\.ts$/, '.js')));
      }
    }
  }
  return files;
}

/**
 * Tests that run only on hosts whose debug registers fire, each with the reason: left out here (and named)
 * unless a --grep picks tests. Most single-step a thread across a write to a watched address, which hangs the
 * guest under QEMU's software CPU (README, "Hardware tests in a VM").
 */
const STEP_HANG = 'a single step across a watched write hangs TCG guests';
const MANY_REGISTERS = 'intermittent under TCG with two or more debug registers armed: a watched write sometimes never traps';
// A whole-program race hunt resumes each sampled thread over its code breakpoint, a single step across the access
// it is about to make while that access is watched: the guest made no progress in 9 minutes (2026-12-07).
const SAMPLE_STEP_HANG = 'a whole-program hunt steps each sampled thread over its breakpoint and watched access: hangs TCG guests';
const HOST_ONLY_REASONS = {
  'race hunts finds the lost update with no target, sampling the whole program': SAMPLE_STEP_HANG,
  'race hunts reports nothing sampling the whole of a race-free program (norace_barrier)': SAMPLE_STEP_HANG,
  'race hunts reports nothing sampling the whole of a race-free program (norace_atomic)': SAMPLE_STEP_HANG,
  'race hunts a whole-program hunt ends when the program executes another, which then runs intact': SAMPLE_STEP_HANG,
  'process-wide data breakpoints a filtered write during a step ends the step instead of letting the program run on': STEP_HANG,
  'exact data breakpoints next over a write stops as a data breakpoint at the writing line; a same-value write does not stop': STEP_HANG,
  'exact data breakpoints resuming from a breakpoint on a writing line reports the write made while gdb stepped over the breakpoint': STEP_HANG,
  'exact data breakpoints writes made during one step are reported one per request, at the line that made them, never pinned on a later step': STEP_HANG,
  // Its breakpoint's line starts by writing the local: resuming steps over that write.
  'exact data breakpoints a local of main is removed when main returns: no hit in the exit code that reuses its stack': STEP_HANG,
  // Seen in 2 of 7 VM runs: a watched write in a watch using two or more debug registers never trapped (no stop in 200 s);
  // never on a host. Not understood yet: TCG's emulation of several enabled DRs, or pwatch's per-CPU events there.
  'process-wide data breakpoints watches a 16-byte object with two debug registers': MANY_REGISTERS,
  'exact data breakpoints shows values with their types: float, pointer, char, bool': MANY_REGISTERS,
  'data logpoints counts what the buffers could not hold: logged + lost = the accesses made (one-page buffers)':
    'under TCG about 0.2% of the accesses are neither logged nor counted lost with one-page buffers (not understood yet)',
};
const HOST_ONLY = Object.keys(HOST_ONLY_REASONS);
/** The VM runs tests about this many times slower than a host: every test timeout is scaled by it. */
const SLOWER = 10;

/** mocha with .mocharc.json's settings but only the given files (its `spec` would add every test). */
function mochaCommand(args) {
  const rc = JSON.parse(fs.readFileSync(path.join(ROOT, '.mocharc.json'), 'utf8'));
  // Test files end in .js (also as globs); other arguments are options, e.g. --grep 'a pattern'.
  const files = args.some((a) => a.endsWith('.js')) ? [] : hardwareTests();
  let skip = [];
  if (!args.some((a) => /^(-g|--grep|-f|--fgrep)(=|$)/.test(a))) {
    console.log(`vm: host only, not run here:\n${HOST_ONLY.map((t) => `vm:   ${t} (${HOST_ONLY_REASONS[t]})`).join('\n')}`);
    const pattern = HOST_ONLY.map((t) => `^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).join('|');
    skip = ['--grep', pattern, '--invert'];
  }
  // The guest's console is a terminal, so mocha would colour its output even into a CI log.
  const color = process.stdout.isTTY ? [] : ['--no-color'];
  const mocha = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  return [process.execPath, mocha, '--no-config', '--timeout', String(rc.timeout * SLOWER), '--reporter', rc.reporter, ...color, ...skip, ...files, ...args];
}

/** Everything comes from Debian's packages: name the one command that installs what is missing. */
function checkTools() {
  const onPath = (tool) => path.isAbsolute(tool) ? fs.existsSync(tool) : (process.env.PATH || '').split(':').some((d) => fs.existsSync(path.join(d, tool)));
  const missing = Object.entries(TOOLS).filter(([tool]) => !onPath(tool)).map(([tool, pkg]) => `${tool} (${pkg})`);
  if (missing.length) {
    throw new Error(`missing ${missing.join(', ')}; as root: ${INSTALL}`);
  }
}

function qemuVersion() {
  return execFileSync(QEMU, ['--version']).toString().match(/version (\S+)/)[1];
}

/** The results share: what the guest runs (job.json, command) and, afterwards, its exit status. */
function writeJob(dir, opts, qemu) {
  const sysctl = {};
  for (const file of SYSCTL.filter((f) => fs.existsSync(f))) {
    sysctl[file] = fs.readFileSync(file, 'utf8');
  }
  const argv = opts.run ?? mochaCommand(opts.mocha);
  // The tests' own waits (test/integration/harness.ts) stretch by the same factor; the guest keeps the host's
  // open-file limits (a test opens more events than they allow on purpose).
  const env = { ...process.env, PWATCH_TIMEOUT_SCALE: String(SLOWER) };
  const nofile = /^Max open files\s+(\d+)\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  // The capabilities this host's root lacks (here: CAP_SYS_RESOURCE, so the open-file limit cannot be raised).
  const bounding = /^CapBnd:\s+([0-9a-f]+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  fs.writeFileSync(path.join(dir, 'job.json'), JSON.stringify({ qemu, argv, cwd: process.cwd(), env, sysctl, nofile: nofile && [nofile[1], nofile[2]], bounding: bounding && bounding[1] }));
  fs.writeFileSync(path.join(dir, 'command'), `${process.execPath}\n${path.join(__dirname, 'guest.js')}\n`);
}

function qemuArgs(opts, kernel, initrd, results) {
  const share = (dir, tag, extra) => ['-virtfs', `local,path=${dir},mount_tag=${tag},security_model=none,multidevs=remap${extra}`];
  return [
    '-accel', opts.accel, '-cpu', opts.cpu, '-smp', '2', '-m', '4G',
    // No default devices (VGA, network card): the console is the first serial port, on our stdout.
    '-nodefaults', '-display', 'none', '-serial', 'stdio', '-no-reboot',
    '-kernel', kernel.image, '-initrd', initrd,
    // A guest that panics ends QEMU (panic=-1, -no-reboot), and so does one whose CPU is stuck in the kernel
    // for 20 s (softlockup_panic): a hang (README: a step over a watched write) ends in seconds, not at --timeout.
    '-append', 'console=ttyS0 quiet loglevel=3 panic=-1 softlockup_panic=1 rdinit=/init',
    ...share('/', 'hostroot', ',readonly=on'),
    ...share(results, 'results', ''),
    ...(process.env.PWATCH_VM_QEMU_ARGS || '').split(' ').filter(Boolean),
  ];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  checkTools();
  const qemu = qemuVersion();
  const kernel = findKernel(opts.kernel);
  const initrd = initramfs(kernel);
  const results = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-vm-'));
  writeJob(results, opts, qemu);

  const start = Date.now();
  const seconds = () => ((Date.now() - start) / 1000).toFixed(1);
  let booted = '?';
  let seen = ''; // what came before the guest.js line (which may arrive split across chunks)
  const vm = spawn(QEMU, qemuArgs(opts, kernel, initrd, results), { stdio: ['ignore', 'pipe', 'inherit'] });
  vm.stdout.on('data', (chunk) => {
    if (booted === '?' && (seen = seen.slice(-16) + chunk.toString('latin1')).includes('vm: qemu')) {
      booted = seconds();
    }
    process.stdout.write(chunk);
  });
  const kill = (why) => {
    console.log(`\nvm: ${why}: killing QEMU (pid ${vm.pid})`);
    vm.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill(`no exit after ${opts.timeout} s`), opts.timeout * 1000);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => kill(signal));
  }
  const [code, signal] = await new Promise((resolve) => vm.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);

  const statusFile = path.join(results, 'status');
  const status = fs.existsSync(statusFile) ? Number(fs.readFileSync(statusFile, 'utf8')) : null;
  fs.rmSync(results, { recursive: true, force: true });
  console.log(`vm: ${seconds()} s wall clock (tests started after ${booted} s), kernel ${kernel.release}, ` +
    (status === null ? `no exit status from the guest (QEMU: ${signal ?? `exit ${code}`})` : `exit status ${status}`));
  process.exit(status ?? 1);
}

main().catch((e) => {
  console.error(`vm: ${e.message}`);
  process.exit(1);
});
