/*
 * Runs inside the test VM (started by init.sh in the chroot): applies the host's perf and ptrace settings,
 * says which machine this is, runs the job's command with the host's working folder and environment, and
 * leaves its exit status in the results share for run.js. Output goes to the console, which QEMU streams to
 * the host's stdout.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const jobFile = process.argv[2];
const job = JSON.parse(fs.readFileSync(jobFile, 'utf8'));

// Debian's kernels default to perf_event_paranoid=3 (a Debian patch); the tests expect the host's values.
for (const [file, value] of Object.entries(job.sysctl)) {
  try {
    fs.writeFileSync(file, value);
  } catch (e) {
    console.log(`vm: cannot set ${file} to ${value.trim()}: ${e.message}`);
  }
}

console.log(`vm: qemu ${job.qemu}, guest kernel ${os.release()}, ${os.cpus().length} vCPUs`);
console.log(`vm: guest up ${os.uptime().toFixed(1)} s; running ${job.argv.slice(1).join(' ')}`);
// Capability numbers (linux/capability.h) by setpriv's names.
const CAPS = ['chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap', 'linux_immutable',
  'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace',
  'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod', 'lease', 'audit_write',
  'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog', 'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf',
  'checkpoint_restore'];

/** The host's limits for the tests, through util-linux (node cannot set its own): open files, and no capability the host's root lacks. */
function withHostLimits(argv) {
  const mine = /^CapBnd:\s+([0-9a-f]+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  const missing = job.bounding && mine ? BigInt(`0x${mine[1]}`) & ~BigInt(`0x${job.bounding}`) : 0n;
  const drop = CAPS.filter((_, bit) => (missing >> BigInt(bit)) & 1n).map((name) => `-${name}`);
  const dropped = drop.length ? ['setpriv', `--bounding-set=${drop.join(',')}`, '--', ...argv] : argv;
  // The limit first: setting it may need the very capability dropped after.
  return job.nofile ? ['prlimit', `--nofile=${job.nofile[0]}:${job.nofile[1]}`, '--', ...dropped] : dropped;
}

const argv = withHostLimits(job.argv);
const result = spawnSync(argv[0], argv.slice(1), { cwd: job.cwd, env: job.env, stdio: 'inherit' });
const status = result.error ? 127 : result.status ?? 128 + os.constants.signals[result.signal];
if (result.error) {
  console.log(`vm: ${job.argv[0]}: ${result.error.message}`);
}
fs.writeFileSync(path.join(path.dirname(jobFile), 'status'), `${status}\n`);
