/** When gdb's SIGINT can miss the debugger, so that pwatch pauses with a SIGSTOP instead (program/sigintReach.ts). */
import * as assert from 'assert';
import { sigintMissesDebugger, ThreadSignalState } from '../../adapter/program/sigintReach';

const SIGINT = 1n << 1n;
const SIGTERM = 1n << 14n;
const running: ThreadSignalState = { blocked: 0n, syscall: undefined };
const blocking: ThreadSignalState = { blocked: SIGINT | SIGTERM, syscall: 202 }; // futex
const inSigwait: ThreadSignalState = { blocked: 0n, syscall: 128 }; // the waited-for signals show unblocked

describe('whether gdb\'s SIGINT reaches the debugger', () => {
  it('reaches it when some thread can take delivery and none waits in sigwait', () => {
    assert.strictEqual(sigintMissesDebugger([running]), false);
    assert.strictEqual(sigintMissesDebugger([blocking, running]), false);
  });

  it('misses it when every thread blocks SIGINT (a signalfd reader, or nobody)', () => {
    assert.strictEqual(sigintMissesDebugger([blocking]), true);
    assert.strictEqual(sigintMissesDebugger([blocking, { blocked: SIGINT, syscall: undefined }]), true);
  });

  it('misses it when a thread waits in sigwait, which takes the signal without delivering it', () => {
    assert.strictEqual(sigintMissesDebugger([blocking, inSigwait]), true);
    assert.strictEqual(sigintMissesDebugger([running, inSigwait]), true);
  });

  it('says nothing when no thread could be read', () => {
    assert.strictEqual(sigintMissesDebugger([]), false);
  });
});
