import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describePanic, isToolchainFrame, panicPlace } from '../../adapter/breakpoints/rustPanic';
import { readElfSection } from '../../adapter/program/elfSections';
import { crateMainSymbol, demangleRustLegacy, demangleRustV0CrateFunction, namedSymbols } from '../../adapter/rust/crateMain';
import { rewriteSubscripts, rustExpression } from '../../adapter/rust/indexing';
import { nearestRelease, releaseOf, rustcVersionOf } from '../../adapter/rust/toolchain';
import { fieldName, isDiscriminant, isUnitVariant, isVariantOf, rustSummary } from '../../adapter/variables/rustValues';

/** A minimal little-endian ELF64 file: a header, a section name table and the given sections. */
function elf64(sections: Record<string, Buffer>): Buffer {
  const names = ['', '.shstrtab', ...Object.keys(sections)];
  const strtab = Buffer.from(names.map((n) => `${n}\0`).join(''), 'latin1');
  const bodies = [Buffer.alloc(0), strtab, ...Object.values(sections)];
  let offset = 64;
  const offsets = bodies.map((b) => ((offset += b.length), offset - b.length));
  const shoff = offset;
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2; // 64-bit
  header[5] = 1; // little-endian
  header.writeBigUInt64LE(BigInt(shoff), 0x28);
  header.writeUInt16LE(64, 0x3a);
  header.writeUInt16LE(bodies.length, 0x3c);
  header.writeUInt16LE(1, 0x3e);
  const table = Buffer.alloc(64 * bodies.length);
  let nameAt = 0;
  names.forEach((n, i) => {
    table.writeUInt32LE(nameAt, i * 64);
    table.writeBigUInt64LE(BigInt(offsets[i]), i * 64 + 24);
    table.writeBigUInt64LE(BigInt(bodies[i].length), i * 64 + 32);
    nameAt += n.length + 1;
  });
  return Buffer.concat([header, ...bodies, table]);
}

describe('Rust programs', () => {
  it('reads a section of an ELF file, and nothing from other files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-elf-'));
    try {
      const file = path.join(dir, 'program');
      const comment = Buffer.from('GCC: (Debian 12.2.0) 12.2.0\0rustc version 1.95.0 (59807616e 2026-04-14)\0', 'latin1');
      fs.writeFileSync(file, elf64({ '.text': Buffer.from([0xc3]), '.comment': comment }));
      assert.deepStrictEqual(readElfSection(file, '.comment'), comment);
      assert.strictEqual(readElfSection(file, '.debug_gdb_scripts'), undefined);
      assert.strictEqual(rustcVersionOf(readElfSection(file, '.comment')), '1.95.0 (59807616e 2026-04-14)');
      fs.writeFileSync(file, '#!/bin/sh\necho not elf\n');
      assert.strictEqual(readElfSection(file, '.comment'), undefined);
      fs.writeFileSync(file, elf64({ '.comment': comment }).subarray(0, 100));
      assert.strictEqual(readElfSection(file, '.comment'), undefined, 'a truncated file has no sections');
      assert.strictEqual(readElfSection(path.join(dir, 'missing'), '.comment'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows the rustc release that built a program, and a C program from a Rust one', () => {
    assert.strictEqual(rustcVersionOf(Buffer.from('GCC: (Debian 12.2.0-14) 12.2.0\0', 'latin1')), undefined);
    assert.strictEqual(rustcVersionOf(undefined), undefined);
    assert.strictEqual(rustcVersionOf(Buffer.from('x\0clang LLVM (rustc version 1.63.0)\0y', 'latin1')), '1.63.0', "Debian's: the debug producer");
    assert.strictEqual(rustcVersionOf(Buffer.from('clang LLVM (rustc version 1.95.0 (59807616e 2026-04-14))\0', 'latin1')), '1.95.0 (59807616e 2026-04-14)');
    assert.strictEqual(releaseOf('1.95.0 (59807616e 2026-04-14)'), '1.95.0');
    assert.strictEqual(releaseOf('1.63.0'), '1.63.0');
    const found = [{ version: '1.95.0 (59807616e 2026-04-14)' }, { version: '1.63.0' }];
    assert.strictEqual(nearestRelease('1.93.1', found), found[0], 'a release two away is near enough');
    assert.strictEqual(nearestRelease('1.80.0', found), undefined, 'printers 15 releases away are not used');
    assert.strictEqual(nearestRelease('an unknown version', found), undefined);
  });

  it('rewrites subscripts for the index function, chained, nested, after calls and paths; slices and literals stay', () => {
    const rewritten = (e: string) => rewriteSubscripts(e).text;
    assert.strictEqual(rewritten('v[3]'), '$pwatch_index(v, 3)');
    assert.strictEqual(rewritten('self.rows[i][j]'), '$pwatch_index($pwatch_index(self.rows, i), j)');
    assert.strictEqual(rewritten('v[w[1]]'), '$pwatch_index(v, $pwatch_index(w, 1))');
    assert.strictEqual(rewritten('crate::TABLE[2].name'), '$pwatch_index(crate::TABLE, 2).name');
    assert.strictEqual(rewritten('*v[0] + (a.b)[1]'), '*$pwatch_index(v, 0) + $pwatch_index((a.b), 1)');
    // A string key travels as integers (a literal would be put in the program's memory by a call of malloc).
    assert.strictEqual(rewritten('map["k[1]"]'), '$pwatch_index_key(map, 6, 0x226b5b315d2200)');
    assert.strictEqual(rewritten('m["eur"][0]'), '$pwatch_index($pwatch_index_key(m, 5, 0x22657572220000), 0)');
    assert.strictEqual(rewritten('m["a" + x]'), '$pwatch_index(m, "a" + x)');
    assert.strictEqual(rewritten('v[1..3]'), 'v[1..3]', "a slice is gdb's own");
    assert.strictEqual(rewritten('s == "a[1]"'), 's == "a[1]"', 'brackets in a string are text');
    assert.strictEqual(rewritten('v[1'), 'v[1', 'unbalanced: left to gdb to refuse');
    assert.strictEqual(rewritten('count'), 'count');
  });

  it('refuses array literals, which end gdb 13 (an internal error in its Rust parser)', () => {
    assert.strictEqual(rewriteSubscripts('[1, 2]').arrayLiteral, true);
    assert.strictEqual(rewriteSubscripts('v[[1]]').arrayLiteral, true);
    assert.strictEqual(rewriteSubscripts('v[1] + w[2..4].len').arrayLiteral, false);
    assert.throws(() => rustExpression('[1]'), /gdb 13's Rust parser crashes on array literals/);
    assert.strictEqual(rustExpression('v[0]'), '$pwatch_index(v, 0)');
    assert.strictEqual(rewriteSubscripts('v[1, 2]').arrayLiteral, true, 'a list is not an index');
    assert.strictEqual(rewriteSubscripts('r"\\" == [1]').arrayLiteral, true, 'a raw string has no escapes: the literal after it is seen');
    assert.strictEqual(rewriteSubscripts('br#"a"[1]"# == x').arrayLiteral, false, 'brackets inside a raw string are text');
    assert.throws(() => rustExpression('('.repeat(300) + '1' + ')'.repeat(300)), /nested more than 256 deep/);
    assert.throws(() => rustExpression('['.repeat(50000)), /nested more than 256 deep/);
  });

  it('shows enums as their variant and structs by their fields, without the type path', () => {
    assert.deepStrictEqual(rustSummary('core::option::Option<i32>::Some(42)', 'core::option::Option<i32>'), { summary: 'Some(42)', isEnum: true });
    assert.deepStrictEqual(rustSummary('accounts::Entry::Closed', 'accounts::Entry'), { summary: 'Closed', isEnum: true });
    assert.deepStrictEqual(rustSummary('accounts::Point {x: 1, y: 2}', 'accounts::Point'), { summary: '{x: 1, y: 2}', isEnum: false });
    assert.strictEqual(rustSummary('0x1234', 'accounts::Point'), undefined);
    assert.strictEqual(rustSummary(`a::B::C(${'x'.repeat(500)})`, 'a::B')!.summary.length, 201, 'long summaries are cut');
    assert.ok(isUnitVariant('None') && isUnitVariant('Closed'));
    assert.ok(!isUnitVariant('Some(42)') && !isUnitVariant('Deposit{amount: 250}'));
    assert.ok(isDiscriminant({ exp: '<anonymous union>' }));
    assert.ok(isVariantOf({ exp: 'Some', type: 'core::option::Option<i32>::Some' }, 'core::option::Option<i32>'));
    assert.ok(!isVariantOf({ exp: 'len', type: 'usize' }, 'alloc::vec::Vec<u8>'));
    assert.strictEqual(fieldName('__0'), '0');
    assert.strictEqual(fieldName('amount'), 'amount');
  });

  it("finds the crate's main in the instructions of rustc's generated main", () => {
    assert.strictEqual(demangleRustLegacy('_ZN8accounts4main17hbedf0767df4841eeE'), 'accounts::main');
    assert.strictEqual(demangleRustLegacy('_ZN3std2rt10lang_start17h7fbbed7bbd5fdd55E'), 'std::rt::lang_start');
    assert.strictEqual(demangleRustLegacy('_RNvCs1234_8accounts4main'), undefined, 'v0 mangling is not read');
    assert.strictEqual(demangleRustLegacy('main'), undefined);
    const generated = [
      'push   %rax',
      'mov    0x488e5(%rip),%rax        # 0x74ef0',
      'lea    -0x1257(%rip),%rdi        # 0x2b3c0 <_ZN4tool4main17hbedf0767df4841eeE>',
      'call   0x2c8f0 <_ZN3std2rt10lang_start17h7fbbed7bbd5fdd55E>',
      'ret',
    ];
    assert.deepStrictEqual(namedSymbols(generated), ['_ZN4tool4main17hbedf0767df4841eeE', '_ZN3std2rt10lang_start17h7fbbed7bbd5fdd55E']);
    assert.strictEqual(crateMainSymbol(namedSymbols(generated)), '_ZN4tool4main17hbedf0767df4841eeE');
    // Optimised: lang_start inlined, lang_start_internal called through the GOT; v0 mangling.
    assert.strictEqual(crateMainSymbol(['_ZN3std2rt19lang_start_internal17h0123456789abcdefE@GOT', '_ZN4tool4main17hbedf0767df4841eeE']), '_ZN4tool4main17hbedf0767df4841eeE');
    assert.strictEqual(demangleRustV0CrateFunction('_RNvCs1a2B_1m4main'), 'm::main');
    assert.strictEqual(demangleRustV0CrateFunction('_RNvNtCs1a_3foo3bar4main'), undefined, 'not directly in a crate');
    assert.strictEqual(crateMainSymbol(['_RNvCs1a2B_1m4main']), '_RNvCs1a2B_1m4main');
    assert.strictEqual(crateMainSymbol(['_ZN3std2rt10lang_start17h7fbbed7bbd5fdd55E']), undefined);
  });

  it('finds where the user\'s code panicked below std\'s panic machinery', () => {
    const frames = [
      { level: 0, addr: '0x1', func: 'std::panicking::rust_panic', file: 'library/std/src/panicking.rs', line: 886 },
      { level: 1, addr: '0x2', func: 'core::panicking::panic_fmt', fullname: '/rustc/59807616/library/core/src/panicking.rs', line: 80 },
      { level: 2, addr: '0x3', func: 'accounts::audit', file: 'src/accounts.rs', fullname: '/w/src/accounts.rs', line: 31 },
      { level: 3, addr: '0x4', func: 'accounts::main::{closure#0}', fullname: '/w/src/accounts.rs', line: 60 },
    ];
    assert.ok(isToolchainFrame(frames[0]) && isToolchainFrame(frames[1]) && !isToolchainFrame(frames[2]));
    assert.strictEqual(describePanic(panicPlace(frames)), 'panicked in accounts::audit at accounts.rs:31');
    assert.strictEqual(describePanic(panicPlace(frames.slice(0, 2))), 'panicked (no frame of the program itself is on the stack)');
  });
});
