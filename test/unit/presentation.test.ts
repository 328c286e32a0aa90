import * as assert from 'assert';
import { GdbStop } from '../../adapter/gdb/events';
import { isSafeHoverExpression } from '../../adapter/requests/hover';
import { describeStop } from '../../adapter/stops/describe';
import { formatVariable, memoryReferenceOf } from '../../adapter/variables/format';

const stop = (fields: Partial<GdbStop>): GdbStop => ({ reason: 'unknown', allStopped: true, ...fields });
const idle = { pauseRequested: false, entryPending: false };

describe('stop reasons', () => {
  it('names breakpoints by kind', () => {
    assert.strictEqual(describeStop(stop({ reason: 'breakpoint-hit' }), { ...idle, breakpointKind: 'source' }).reason, 'breakpoint');
    assert.strictEqual(describeStop(stop({ reason: 'breakpoint-hit' }), { ...idle, breakpointKind: 'function' }).reason, 'function breakpoint');
  });
  it('reports the entry stop, steps and a requested pause', () => {
    assert.strictEqual(describeStop(stop({ reason: 'breakpoint-hit' }), { ...idle, entryPending: true }).reason, 'entry');
    assert.strictEqual(describeStop(stop({ reason: 'end-stepping-range' }), idle).reason, 'step');
    assert.strictEqual(describeStop(stop({ reason: 'function-finished' }), idle).reason, 'step');
    assert.strictEqual(describeStop(stop({ reason: 'signal-received', signalName: 'SIGINT' }), { ...idle, pauseRequested: true }).reason, 'pause');
  });
  it('reports fatal signals as exceptions and others as signals, never as a pause', () => {
    const segv = describeStop(stop({ reason: 'signal-received', signalName: 'SIGSEGV', signalMeaning: 'Segmentation fault' }), idle);
    assert.deepStrictEqual(segv, { reason: 'exception', description: 'Exception: SIGSEGV (Segmentation fault)', text: 'SIGSEGV (Segmentation fault)' });
    assert.strictEqual(describeStop(stop({ reason: 'signal-received', signalName: 'SIGUSR1' }), idle).reason, 'signal');
    assert.strictEqual(describeStop(stop({ reason: 'signal-received', signalName: 'SIGINT' }), idle).reason, 'signal', 'a SIGINT nobody asked for is the program’s');
    assert.strictEqual(describeStop(stop({ reason: 'signal-received', signalName: 'SIGTRAP' }), { ...idle, pauseRequested: true }).reason, 'signal');
  });
});

describe('variable presentation', () => {
  it('gives pointers a memory reference and arrays an element count', () => {
    assert.strictEqual(memoryReferenceOf({ type: 'unsigned char *', value: '0x5555deadbeef' }), '0x5555deadbeef');
    assert.strictEqual(memoryReferenceOf({ type: 'char **', value: '0x7ffe0 "x"' }), '0x7ffe0');
    assert.strictEqual(memoryReferenceOf({ type: 'long', value: '0x10' }), undefined);
    const array = formatVariable('limits', { name: 'var1.limits', exp: 'limits', value: '[3]', type: 'int [3]', numchild: 3, dynamic: false, hasMore: false });
    assert.strictEqual(array.indexedVariables, 3);
    const struct = formatVariable('origin', { name: 'var1.origin', exp: 'origin', value: '{...}', type: 'struct point', numchild: 2, dynamic: false, hasMore: false });
    assert.strictEqual(struct.indexedVariables, undefined);
  });
});

describe('hover expressions', () => {
  it('allows names, members, constant indexes, dereference', () => {
    for (const e of ['x', 'cfg.origin.x', 'p->next->value', 'a[3]', '*p', '&g', 'arr[0].f']) {
      assert.ok(isSafeHoverExpression(e), e);
    }
  });
  it('refuses calls, assignments and anything with side effects', () => {
    for (const e of ['f()', 'x = 1', 'x++', 'a[i++]', 'system("rm")', '$pc = 0', 'p->f(1)']) {
      assert.ok(!isSafeHoverExpression(e), e);
    }
  });
});
