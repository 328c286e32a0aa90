/**
 * What a race hunt reports: the pair table (raceJudge.ts) and the instructions it samples and plans (codeSamples.ts),
 * on real x86-64 encodings.
 */
import * as assert from 'assert';
import * as path from 'path';
import { memoryInstructions, plannedAccess } from '../../adapter/races/codeSamples';
import { functionSymbols } from '../../adapter/program/elfSymbols';
import { judgePair, raceKey, SeenAccess } from '../../adapter/races/raceJudge';
import { registerMap } from '../../adapter/watch/storeDecoder';

function access(tid: number, kind: SeenAccess['kind'], atomic = false, address = 0x4000n, size = 8): SeenAccess {
  return { tid, kind, atomic, address, size };
}

function regs(values: Record<string, bigint> = {}) {
  const order = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'rip', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
  return registerMap(order.map((name) => values[name] ?? 0n));
}

const code = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');

describe('the race judge', () => {
  const rows: Array<[string, SeenAccess, SeenAccess, boolean]> = [
    ['a write against a read of another thread', access(1, 'write'), access(2, 'read'), true],
    ['a read against a write', access(1, 'read'), access(2, 'write'), true],
    ['two plain writes', access(1, 'write'), access(2, 'write'), true],
    ['a read-modify-write against a read (lost update)', access(1, 'readWrite'), access(2, 'read'), true],
    ['a plain store against an atomic RMW', access(1, 'write'), access(2, 'readWrite', true), true],
    ['two reads', access(1, 'read'), access(2, 'read'), false],
    ['the same thread', access(1, 'write'), access(1, 'write'), false],
    ['two atomics (lock add, xchg)', access(1, 'readWrite', true), access(2, 'readWrite', true), false],
    ['an atomic RMW against a load (an atomic load is a plain move)', access(1, 'readWrite', true), access(2, 'read'), false],
    ['a load against an xchg store', access(1, 'read'), access(2, 'write', true), false],
    ['adjacent bytes of one word', access(1, 'write', false, 0x4000n, 4), access(2, 'write', false, 0x4004n, 4), false],
    ['overlapping bytes', access(1, 'write', false, 0x4000n, 8), access(2, 'read', false, 0x4004n, 1), true],
  ];
  for (const [what, first, second, race] of rows) {
    it(`${what}: ${race ? 'a race' : 'no race'}`, () => {
      assert.strictEqual(judgePair(first, second).race, race);
    });
  }

  it('merges the same two lines in either order, and tells reads from writes', () => {
    const a = { file: 'f.c', line: 12, pc: 0x10n, access: 'write' as const };
    const b = { file: 'f.c', line: 14, pc: 0x20n, access: 'read' as const };
    assert.strictEqual(raceKey(a, b), raceKey(b, a));
    assert.notStrictEqual(raceKey(a, b), raceKey(a, { ...b, access: 'write' }));
    // No line: the instruction tells them apart.
    assert.notStrictEqual(raceKey({ pc: 0x10n, access: 'write' }, b), raceKey({ pc: 0x11n, access: 'write' }, b));
  });
});

describe('code samples of a whole-program hunt', () => {
  // 1207: mov 0x2e4a(%rip),%rax   120e: add $0x1,%rax   1212: mov %rax,0x2e3f(%rip)   1219: mov -0x10(%rbp),%rax
  // 121d: mov (%rax),%rax   1220: lea 0x1(%rax),%rdx   1224: push %rbx   1225: mov 0x8(%rsp),%rcx   122a: lock addq $1,(%rdx)
  // 122f: mov %fs:0x28,%rax   1238: add %al,(%rax) (zero padding)
  const worker = code('48 8b 05 4a 2e 00 00  48 83 c0 01  48 89 05 3f 2e 00 00  48 8b 45 f0  48 8b 00  48 8d 50 01  53  48 8b 4c 24 08  f0 48 83 02 01  64 48 8b 04 25 28 00 00 00  00 00');

  it('samples accesses that other threads may share: globals, through pointers, atomics; not the stack, TLS or padding', () => {
    assert.deepStrictEqual(memoryInstructions(worker, 0x1207n), [0x1207n, 0x1212n, 0x121dn, 0x122an]);
  });

  it("works out the bytes an instruction is about to touch from the thread's registers", () => {
    assert.deepStrictEqual(plannedAccess(code('48 89 05 3f 2e 00 00'), 0x1212n, regs()), { address: 0x4058n, size: 8, kind: 'write', atomic: false, length: 7 });
    assert.deepStrictEqual(plannedAccess(code('f0 48 83 02 01'), 0x122an, regs({ rdx: 0x7000n })), { address: 0x7000n, size: 8, kind: 'readWrite', atomic: true, length: 5 });
    assert.deepStrictEqual(plannedAccess(code('8b 04 8a'), 0x10n, regs({ rdx: 0x7000n, rcx: 3n })), { address: 0x700cn, size: 4, kind: 'read', atomic: false, length: 3 });
    // The stack is no shared access; neither is an instruction with no memory operand.
    assert.strictEqual(plannedAccess(code('48 8b 4c 24 08'), 0x10n, regs({ rsp: 0x7ff0n })), undefined);
    assert.strictEqual(plannedAccess(code('48 83 c0 01'), 0x10n, regs()), undefined);
  });

  it("finds the program's functions to decode from their starts (race_counter, built by npm test)", () => {
    const program = path.join(__dirname, '..', '..', '..', 'test-workspace', 'bin', 'race_counter');
    const functions = functionSymbols(program) ?? [];
    const names = functions.map((f) => f.name);
    for (const name of ['main', 'worker', 'seconds_now', '_start']) {
      assert.ok(names.includes(name), `${name} among ${names.join(', ')}`);
    }
    assert.ok(functions.every((f) => f.size > 0 && f.address > 0));
    assert.strictEqual(functionSymbols(path.join(__dirname, 'raceJudge.test.js')), undefined, 'not an ELF file');
  });
});
