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
const result = spawnSync(job.argv[0], job.argv.slice(1), { cwd: job.cwd, env: job.env, stdio: 'inherit' });
const status = result.error ? 127 : result.status ?? 128 + os.constants.signals[result.signal];
if (result.error) {
  console.log(`vm: ${job.argv[0]}: ${result.error.message}`);
}
fs.writeFileSync(path.join(path.dirname(jobFile), 'status'), `${status}\n`);
