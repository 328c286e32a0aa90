import * as assert from 'assert';
import { applyUpdate, decodeAccess, registerMap } from '../../adapter/watch/storeDecoder';

/** Registers as perf samples them (ax bx cx dx si di bp sp ip r8..r15), all zero but those given. */
function regs(values: Record<string, bigint> = {}) {
  const order = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'rip', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
  return registerMap(order.map((name) => values[name] ?? 0n));
}

/** Decodes `hex` (the bytes just before ip), guessing the start (no function start known). */
function decodeTail(hex: string, ip: bigint, watch: bigint, length: number, values: Record<string, bigint> = {}) {
  const code = Buffer.from(hex.replace(/ /g, ''), 'hex');
  return decodeAccess(code, ip - BigInt(code.length), false, ip, regs(values), watch, length);
}

describe('the store decoder (the instruction a data breakpoint trapped after)', () => {
  it('a store of an immediate: the bytes it wrote, at the variable', () => {
    // movl $0x2, 0x2f37(%rip) at 0x1147 (g at 0x4088)
    const decoded = decodeTail('c7 05 37 2f 00 00 02 00 00 00', 0x1151n, 0x4088n, 4);
    assert.deepStrictEqual(decoded, {
      start: 0x1147n,
      kind: 'write',
      atomic: false,
      memory: { address: 0x4088n, size: 4 },
      written: { address: 0x4088n, bytes: Buffer.from('02000000', 'hex') },
      vectorSource: undefined,
      update: undefined,
    });
  });

  it('the bytes an access touched, not the watched range: one element of a watched array (a race hunt judges by them)', () => {
    // mov %eax, 0x4(%rdx): the second int of an 8-byte watch at 0x7000
    assert.deepStrictEqual(decodeTail('89 42 04', 0x2003n, 0x7000n, 8, { rax: 1n, rdx: 0x7000n })?.memory, { address: 0x7004n, size: 4 });
    // addb $1, (%rdx): one byte of it
    assert.deepStrictEqual(decodeTail('80 02 01', 0x2003n, 0x7000n, 8, { rdx: 0x7001n })?.memory, { address: 0x7001n, size: 1 });
  });

  it('a store of a register: the register as sampled, sized as the store', () => {
    // mov %rax, (%rdx)
    const decoded = decodeTail('48 89 02', 0x2003n, 0x7000n, 8, { rax: 0x1122334455667788n, rdx: 0x7000n });
    assert.deepStrictEqual(decoded?.written, { address: 0x7000n, bytes: Buffer.from('8877665544332211', 'hex') });
    // mov %al, (%rdx): one byte of rax
    assert.deepStrictEqual(decodeTail('88 02', 0x2002n, 0x7000n, 1, { rax: 0x1ffn, rdx: 0x7000n })?.written?.bytes, Buffer.from('ff', 'hex'));
  });

  it('a RIP-relative store is not mistaken for the shorter instruction that ends with the same bytes', () => {
    // movss %xmm0, 0x2ebb(%rip): its last 7 and 6 bytes decode as movups and adc with the same target.
    const decoded = decodeTail('0f 10 05 db 0e 00 00 f3 0f 11 05 bb 2e 00 00', 0x1175n, 0x4030n, 4);
    assert.strictEqual(decoded?.start, 0x116dn);
    assert.deepStrictEqual(decoded?.vectorSource, { register: 'xmm0', address: 0x4030n, size: 4 });
  });

  it('decoding forward from the function start finds the instruction exactly', () => {
    // push %rbp; mov %rsp,%rbp; movl $1, 0x2f41(%rip); movl $2, 0x2f37(%rip) — from 0x1139, ending at 0x1151
    const code = Buffer.from('55 48 89 e5 c7 05 41 2f 00 00 01 00 00 00 c7 05 37 2f 00 00 02 00 00 00'.replace(/ /g, ''), 'hex');
    const decoded = decodeAccess(code, 0x1139n, true, 0x1151n, regs(), 0x4088n, 4);
    assert.strictEqual(decoded?.start, 0x1147n);
    assert.deepStrictEqual(decoded?.written?.bytes, Buffer.from('02000000', 'hex'));
  });

  it('a load is a read; an instruction that does not touch the watched bytes is none of them', () => {
    // mov 0x2f37(%rip), %eax at 0x1147
    assert.strictEqual(decodeTail('8b 05 37 2f 00 00', 0x114dn, 0x4084n, 4)?.kind, 'read');
    assert.strictEqual(decodeTail('8b 05 37 2f 00 00', 0x114dn, 0x5000n, 4), undefined);
  });

  it('a locked add of an immediate is a read-modify-write whose result follows from the value before', () => {
    // lock addq $0x1, 0x2f2d(%rip) at 0x1150
    const decoded = decodeTail('f0 48 83 05 2d 2f 00 00 01', 0x1159n, 0x4086n, 8);
    assert.strictEqual(decoded?.kind, 'readWrite');
    assert.deepStrictEqual(decoded?.update, { op: 'add', operand: 1n, address: 0x4086n, size: 8 });
    assert.deepStrictEqual(applyUpdate(decoded!.update!, Buffer.from('0100000000000000', 'hex')), Buffer.from('0200000000000000', 'hex'));
    assert.deepStrictEqual(applyUpdate({ op: 'sub', operand: 1n, address: 0n, size: 4 }, Buffer.from('00000000', 'hex')), Buffer.from('ffffffff', 'hex'));
  });
});
