/**
 * What this machine can do for the tests that need hardware watchpoints, from the addon's capability probe.
 *
 * Two kinds of "no" are told apart. A kernel that refuses the events (permissions, an old kernel, no perf
 * support) is a setup problem someone can fix: under CI=true it fails the run. A machine whose debug registers
 * never fire (some virtual machines accept breakpoint events but do not give their guests the debug
 * registers: gdb's own `watch` never triggers there either) cannot run these tests on the host: they run in
 * the VM bench instead (`npm run test:vm`, where QEMU's software CPU emulates the registers). On such a host the
 * tests are skipped with the probe's measured reason, printed, and listed for CI's closing summary; under
 * CI=true only when the run says they run in the VM (PWATCH_HARDWARE_IN_VM=1, set by .ci/run), otherwise the
 * run fails: a hardware test never silently runs nowhere.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAddon, ProbeResult } from '../adapter/native/addon';

export type HardwareVerdict = { run: true } | { run: false; fatal: boolean; reason: string };

let cached: HardwareVerdict | undefined;

export function hardwareVerdict(): HardwareVerdict {
  if (cached) {
    return cached;
  }
  const addon = loadAddon();
  if (addon instanceof Error) {
    return (cached = { run: false, fatal: true, reason: addon.message });
  }
  const probe: ProbeResult = addon.probe();
  if (probe.supported) {
    return (cached = { run: true });
  }
  const neverFires = probe.error?.step === 'trigger' && probe.error.errno === 0;
  return (cached = { run: false, fatal: !neverFires, reason: `${probe.error?.code}: ${probe.error?.message} (kernel ${probe.kernelRelease})` });
}

/** Where skipped hardware tests are listed, one per line, for .ci/run to summarise (PWATCH_SKIP_LOG). */
function recordSkip(title: string, reason: string): void {
  const file = process.env.PWATCH_SKIP_LOG;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, `${title}\t${reason}\n`);
  }
}

/**
 * Call in a `before` hook (or a test) that needs hardware watchpoints that fire: returns normally when they
 * do, throws when the kernel refuses under CI, and skips (saying why) otherwise.
 */
export function requireFiringWatchpoints(context: Mocha.Context): void {
  const verdict = hardwareVerdict();
  if (verdict.run) {
    return;
  }
  if (verdict.fatal && process.env.CI) {
    throw new Error(`this CI machine cannot run process-wide watchpoints: ${verdict.reason}`);
  }
  if (process.env.CI && !process.env.PWATCH_HARDWARE_IN_VM) {
    throw new Error(`this machine's debug registers never fire (${verdict.reason}): run the hardware tests in the VM (npm run test:vm), as .ci/run does`);
  }
  const title = context.currentTest?.fullTitle() ?? context.test?.parent?.fullTitle() ?? context.test?.fullTitle() ?? '?';
  console.log(`    SKIPPED (hardware): ${verdict.reason}`);
  recordSkip(title, verdict.reason);
  context.skip();
}
