import * as assert from 'assert';
import * as fs from 'fs';
import { loadAddon, PwatchAddon } from '../../adapter/native/addon';
import { hardwareVerdict } from '../machine';
import { until } from '../integration/harness';

/** The addon, or a skip outside CI (a failure under CI) when it did not build. */
function addonOrSkip(context: Mocha.Context): PwatchAddon {
  const addon = loadAddon();
  if (addon instanceof Error) {
    if (process.env.CI) {
      throw addon;
    }
    console.log(`    skipped: ${addon.message}`);
    context.skip();
  }
  return addon as PwatchAddon;
}

describe('native addon: capability probe', () => {
  it('loads and reports the kernel, perf_event_paranoid and whether sigtrap breakpoints can be inherited', function () {
    const probe = addonOrSkip(this).probe();
    assert.match(probe.kernelRelease, /^\d+\.\d+/);
    assert.strictEqual(typeof probe.supported, 'boolean');
    if (probe.supported) {
      assert.strictEqual(probe.error, undefined);
    } else {
      // A refusal must say which step failed, with its errno (or, for registers that never fire, none) and a
      // reason that names a fix.
      const error = probe.error!;
      assert.ok(['fork', 'perf_event_open', 'modify', 'trigger'].includes(error.step), JSON.stringify(probe));
      assert.ok(error.step === 'trigger' || error.errno > 0, JSON.stringify(probe));
      assert.ok(error.code.startsWith('E') && error.message.length > 20, JSON.stringify(probe));
      console.log(`    this machine refuses process-wide data breakpoints: ${error.code}: ${error.message}`);
      const verdict = hardwareVerdict();
      if (process.env.CI && !verdict.run && verdict.fatal) {
        throw new Error(`CI machine lacks process-wide watchpoints: ${error.message}`);
      }
    }
    const release = probe.kernelRelease.split('.').map(Number);
    const modern = release[0] > 5 || (release[0] === 5 && release[1] >= 17);
    if (!modern) {
      assert.strictEqual(probe.supported, false, 'kernels before 5.17 cannot re-arm with a new sig_data');
    }
  });

  it('refuses thread ids that are not positive integers (0 would be the adapter itself)', function () {
    const engine = new (addonOrSkip(this).SlotEngine)(1, 'stop');
    for (const bad of [0, -1, NaN, Infinity, 1.5, 2 ** 40]) {
      const result = engine.addThreads([bad]);
      assert.ok(!Array.isArray(result) && result.code === 'EINVAL', `${bad}: ${JSON.stringify(result)}`);
    }
    engine.close();
  });

  it('refuses kernel and truncated addresses before any ioctl', function () {
    const engine = new (addonOrSkip(this).SlotEngine)(1, 'stop');
    for (const bad of [1n << 47n, (1n << 64n) - 8n, 1n << 70n]) {
      const result = engine.arm(0, bad, 8, 'write', 1n);
      assert.ok('message' in result && /user-space address/.test(result.message), `${bad}: ${JSON.stringify(result)}`);
    }
    engine.close();
  });

  it('opens a terminal for the program and releases it; reapChild refuses pids that are not a child', async function () {
    const addon = addonOrSkip(this);
    const pty = addon.openPty();
    assert.ok(pty.path?.startsWith('/dev/pts/') && pty.masterFd! > 2 && pty.holderPid! > 0, JSON.stringify(pty));
    // The holder keeps no descriptor of ours: only its release pipe and its terminal.
    // (Read while it may still be closing them: a descriptor can vanish between readdir and readlink.)
    const held = () =>
      fs.readdirSync(`/proc/${pty.holderPid}/fd`).flatMap((fd) => {
        try {
          return [fs.readlinkSync(`/proc/${pty.holderPid}/fd/${fd}`)];
        } catch {
          return [];
        }
      });
    await until(() => {
      const now = held();
      return now.length === 2 && now.some((t) => t === pty.path) && now.some((t) => t.startsWith('pipe:'));
    }, 'the holder has only its pipe and terminal');
    fs.closeSync(pty.masterFd!);
    fs.closeSync(pty.holderReleaseFd!);
    // reapChild never waits: poll it until the holder, released, has exited.
    const deadline = Date.now() + 5000;
    while (addon.reapChild(pty.holderPid!) === false) {
      assert.ok(Date.now() < deadline, 'the released holder exits');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.throws(() => process.kill(pty.holderPid!, 0), /ESRCH/, 'the holder process is gone');
    for (const bad of [0, -1, NaN]) {
      const refused = addon.reapChild(bad);
      assert.ok(typeof refused === 'object' && refused.code === 'EINVAL', String(bad));
    }
  });

  it('raises the open-file limit without undefined behaviour for NaN or infinite input', function () {
    const addon = addonOrSkip(this);
    for (const wanted of [NaN, Infinity, -Infinity, -5, 64]) {
      const limit = addon.raiseOpenFileLimit(wanted);
      assert.ok(typeof limit === 'number' && limit > 0, `${wanted}: ${JSON.stringify(limit)}`);
    }
  });
});
