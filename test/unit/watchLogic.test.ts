import * as assert from 'assert';
import { disarmSlots } from '../../adapter/watch/disarm';
import { sideEffectOf } from '../../adapter/watch/expression';
import { coverageMessage, UNCONFIRMED_REASON } from '../../adapter/watch/coverage';
import { decodeDataId, encodeDataId } from '../../adapter/watch/dataId';
import { formatBytes } from '../../adapter/watch/memory';
import { splitRange } from '../../adapter/watch/ranges';

const pieces = (address: number, length: number) => splitRange(BigInt(address), length).map((p) => [Number(p.address), p.length]);

describe('watch ranges: naturally aligned 1/2/4/8-byte pieces', () => {
  it('keeps an aligned register-sized range whole', () => {
    assert.deepStrictEqual(pieces(0x1000, 8), [[0x1000, 8]]);
    assert.deepStrictEqual(pieces(0x1004, 4), [[0x1004, 4]]);
    assert.deepStrictEqual(pieces(0x1001, 1), [[0x1001, 1]]);
  });
  it('splits a 16-byte object into two 8-byte pieces', () => {
    assert.deepStrictEqual(pieces(0x1000, 16), [[0x1000, 8], [0x1008, 8]]);
  });
  it('splits unaligned and odd ranges into the fewest aligned pieces', () => {
    assert.deepStrictEqual(pieces(0x1001, 3), [[0x1001, 1], [0x1002, 2]]);
    assert.deepStrictEqual(pieces(0x1002, 8), [[0x1002, 2], [0x1004, 4], [0x1008, 2]]);
    assert.deepStrictEqual(pieces(0x1007, 2), [[0x1007, 1], [0x1008, 1]]);
    assert.deepStrictEqual(pieces(0x1000, 12), [[0x1000, 8], [0x1008, 4]]);
  });
  it('never produces a misaligned piece', () => {
    for (let address = 0; address < 16; address++) {
      for (let length = 1; length <= 32; length++) {
        const result = splitRange(BigInt(0x2000 + address), length);
        assert.strictEqual(result.reduce((n, p) => n + p.length, 0), length);
        assert.ok(result.every((p) => p.address % BigInt(p.length) === 0n));
      }
    }
  });
});

describe('data breakpoint ids', () => {
  it('round-trips globals, addresses and locals', () => {
    const targets = [
      { kind: 'global' as const, length: 8, expression: 'shared_counter' },
      { kind: 'global' as const, length: 4, expression: 'cfg.limits[2]' },
      { kind: 'address' as const, length: 3, address: 0x5555deadbeefn, expression: undefined },
      { kind: 'local' as const, length: 4, address: 0x7ffe0010n, expression: 'p->x' },
    ];
    for (const target of targets) {
      assert.deepStrictEqual(decodeDataId(encodeDataId(target)), target);
    }
    assert.strictEqual(encodeDataId(targets[0]), 'g/8/shared_counter');
  });
  it('rejects ids that are not pwatch’s', () => {
    for (const id of ['', 'nonsense', 'g/8/', 'a/4/zz', 'x/1/0x10']) {
      assert.strictEqual(decodeDataId(id), undefined, id);
    }
  });
  it('rejects absurd sizes, addresses and lengths before allocating anything', () => {
    for (const id of ['g/99999999999999999999/name', 'a/10000000/0x1000', 'a/8/0x1234567890abcdef01', `g/8/${'x'.repeat(5000)}`]) {
      assert.strictEqual(decodeDataId(id), undefined, id.slice(0, 40));
    }
  });
});

describe('watchable expressions: nothing with a side effect is evaluated', () => {
  it('refuses assignments, increments and calls', () => {
    for (const [expression, why] of [
      ['x = 4242', 'assigns'],
      ['x += 1', 'assigns'],
      ['a[i] <<= 2', 'assigns'],
      ['x++', 'increments'],
      ['--x', 'increments'],
      ['f(1)', 'calls f()'],
      ['s.items[next_index()]', 'calls next_index()'],
      ['(*fp)(3)', 'calls through a pointer'],
    ]) {
      assert.match(sideEffectOf(expression) ?? 'allowed', new RegExp(why.replace(/[()]/g, '\\$&')), expression);
    }
  });
  it('allows lvalues: names, members, indexes, casts, dereferences, comparisons and sizeof', () => {
    for (const expression of ['x', 'cfg.limits[2]', 'p->next->value', 'arr[i]', '*(long *)0x5555000', '((struct job *)p)->n', 'a[i == 2]', 'buf[sizeof(int)]', 'name == "a=b"']) {
      assert.strictEqual(sideEffectOf(expression), undefined, expression);
    }
  });
});

describe('coverage messages', () => {
  it('says how many threads are covered, and names the missed ones with their reason', () => {
    assert.strictEqual(coverageMessage({ covered: 12, total: 12, missed: [] }, 1), 'armed on 12 of 12 threads');
    assert.strictEqual(coverageMessage({ covered: 3, total: 3, missed: [] }, 2), 'armed on 3 of 3 threads (2 debug registers)');
    assert.strictEqual(
      coverageMessage({ covered: 10, total: 12, missed: [{ tid: 4242, errno: 28, reason: 'no free debug register' }, { tid: 4243, errno: 0, reason: UNCONFIRMED_REASON }] }, 1),
      `armed on 10 of 12 threads; missed: tid 4242 (no free debug register), tid 4243 (${UNCONFIRMED_REASON})`,
    );
  });
  it('shortens a long missed list', () => {
    const missed = [...Array(20).keys()].map((i) => ({ tid: 100 + i, errno: 28, reason: 'r' }));
    assert.match(coverageMessage({ covered: 0, total: 20, missed }, 1), /tid 107 \(r\), and 12 more$/);
  });
});

describe('hit values', () => {
  it('shows register-sized values as little-endian integers and others as hex', () => {
    assert.strictEqual(formatBytes(Buffer.from([7])), '7');
    assert.strictEqual(formatBytes(Buffer.from([0xff, 0xff])), '-1');
    assert.strictEqual(formatBytes(Buffer.from([1, 0, 0, 0])), '1');
    assert.strictEqual(formatBytes(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0])), '2');
    assert.strictEqual(formatBytes(Buffer.from([1, 2, 3])), '0x010203');
  });
});

describe('disarming: failures are told, a vanished thread is not one', () => {
  const failure = (tid: number, code: string, message: string) => ({ tid, code, errno: 1, message });
  it('says nothing when every slot disarmed or only gone threads refused', () => {
    const engine = { disarm: (slot: number) => (slot === 0 ? [] : [failure(42, 'ESRCH', 'the thread is gone')]) };
    assert.strictEqual(disarmSlots(engine, [0, 1], 'the data breakpoint on x'), undefined);
  });
  it('names the threads and reasons otherwise, and an engine-level error too', () => {
    const engine = {
      disarm: (slot: number) => (slot === 0 ? [failure(7, 'EINVAL', 'the kernel refused to re-arm')] : { code: 'EBADF', errno: 9, message: 'closed' }),
    };
    const text = disarmSlots(engine, [0, 1], 'the data breakpoint on x') ?? '';
    assert.match(text, /^disarming the data breakpoint on x failed \(tid 7: the kernel refused to re-arm; closed\)/);
  });
});
