import * as assert from 'assert';
import * as fs from 'fs';
import { loadAddon } from '../../adapter/native/addon';

describe('native addon: capability probe', () => {
  it('loads and reports the kernel, perf_event_paranoid and whether sigtrap breakpoints can be inherited', function () {
    const addon = loadAddon();
    if (addon instanceof Error) {
      if (process.env.CI) {
        throw addon;
      }
      console.log(`    skipped: ${addon.message}`);
      this.skip();
    }
    const probe = addon.probe();
    assert.match(probe.kernelRelease, /^\d+\.\d+/);
    assert.strictEqual(typeof probe.supported, 'boolean');
    if (probe.supported) {
      assert.strictEqual(probe.error, undefined);
    } else {
      // A refusal must say which step failed, with errno and a reason that names a fix.
      assert.ok(probe.error && probe.error.errno > 0 && probe.error.code.startsWith('E') && probe.error.message.length > 20, JSON.stringify(probe));
      console.log(`    kernel refuses inherited sigtrap breakpoints: ${probe.error.code}: ${probe.error.message}`);
      if (process.env.CI) {
        throw new Error(`CI machine lacks process-wide watchpoints: ${probe.error.message}`);
      }
    }
    const release = probe.kernelRelease.split('.').map(Number);
    const modern = release[0] > 5 || (release[0] === 5 && release[1] >= 13);
    if (!modern) {
      assert.strictEqual(probe.supported, false, 'kernels before 5.13 cannot have sigtrap events');
    }
  });

  it('opens a terminal for the program and releases it', () => {
    const addon = loadAddon();
    if (addon instanceof Error) {
      return;
    }
    const pty = addon.openPty();
    assert.ok(pty.path?.startsWith('/dev/pts/') && pty.masterFd! > 2 && pty.holderPid! > 0, JSON.stringify(pty));
    fs.closeSync(pty.masterFd!);
    fs.closeSync(pty.holderReleaseFd!);
    addon.reapChild(pty.holderPid!);
    assert.throws(() => process.kill(pty.holderPid!, 0), /ESRCH/, 'the holder process is gone');
  });
});
