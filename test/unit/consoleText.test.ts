import * as assert from 'assert';
import { wordStart } from '../../adapter/presentation/completions';
import { splitFormatSuffix } from '../../adapter/variables/format';
import { readsStandardInput } from '../../adapter/program/inputWait';
import { consoleCommand, isInterruptCommand } from '../../adapter/requests/consoleCommands';
import { isSystemSource } from '../../adapter/presentation/stack';

describe('Debug Console text', () => {
  it('takes a trailing ,x / ,o / ,b / ,d as a number format, and nothing else', () => {
    assert.deepStrictEqual(splitFormatSuffix('arr[3],x'), { expression: 'arr[3]', format: 'hexadecimal' });
    assert.deepStrictEqual(splitFormatSuffix('flags , b '), { expression: 'flags', format: 'binary' });
    assert.deepStrictEqual(splitFormatSuffix('max(a, b)'), { expression: 'max(a, b)' });
    assert.deepStrictEqual(splitFormatSuffix('a[i, x]'), { expression: 'a[i, x]' });
    assert.deepStrictEqual(splitFormatSuffix('x'), { expression: 'x' });
    assert.deepStrictEqual(splitFormatSuffix(',x'), { expression: ',x' });
    assert.deepStrictEqual(splitFormatSuffix('n,z'), { expression: 'n,z' });
  });

  it('completes the word before the cursor: identifiers, scopes and $ names', () => {
    assert.strictEqual(wordStart('ledger.st'), 7);
    assert.strictEqual(wordStart('std::vec'), 0);
    assert.strictEqual(wordStart('a + $_si'), 4);
    assert.strictEqual(wordStart('p->'), 3);
  });
});

describe("the program's input", () => {
  it('knows a thread blocked reading standard input from /proc/TID/syscall', () => {
    assert.ok(readsStandardInput('0 0x0 0x5555555592a0 0x400 0x0 0x0 0x0 0x7ffc3d1e0b58 0x7f2a1c1147e2\n'));
    assert.ok(readsStandardInput('19 0x0 0x7ffd2a6c3b10 0x2 0x0 0x0 0x0 0x7ffd2a6c3ad8 0x7f0a4d514c1d'));
    assert.ok(!readsStandardInput('0 0x3 0x5555555592a0 0x400 0x0 0x0 0x0 0x7ffc3d1e0b58 0x7f2a1c1147e2'), 'a read of another fd');
    assert.ok(!readsStandardInput('230 0x0 0x0 0x7ffc 0x0 0x0 0x0 0x7ffc 0x7f2a'), 'clock_nanosleep');
    assert.ok(!readsStandardInput('running'));
  });
});

describe('console commands', () => {
  it('sends execution commands in the background, refuses what replaces the program, passes the rest', () => {
    assert.deepStrictEqual(consoleCommand('continue', false), { send: 'continue &' });
    assert.deepStrictEqual(consoleCommand('  c ', false), { send: 'c &' });
    assert.deepStrictEqual(consoleCommand('signal SIGINT', false), { send: 'signal SIGINT &' });
    assert.deepStrictEqual(consoleCommand('next &', false), { send: 'next &' });
    assert.deepStrictEqual(consoleCommand('info registers rip', false), { send: 'info registers rip' });
    assert.deepStrictEqual(consoleCommand('print c', false), { send: 'print c' });
    assert.match((consoleCommand('kill', false) as { refused: string }).refused, /use Stop on the debug toolbar/);
    assert.match((consoleCommand('run', false) as { refused: string }).refused, /start a new session/);
    assert.match((consoleCommand('next', true) as { refused: string }).refused, /core dump/);
  });

  it("knows gdb's interrupt, a pause the user asks for", () => {
    assert.ok(isInterruptCommand('interrupt') && isInterruptCommand(' interrupt -a ') && isInterruptCommand('interrupt &'));
    assert.ok(!isInterruptCommand('print interrupt') && !isInterruptCommand('interrupted'));
  });

  it('knows system sources from the user\'s', () => {
    assert.ok(isSystemSource('/usr/include/c++/12/bits/stl_vector.h'));
    assert.ok(isSystemSource('/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h'));
    assert.ok(!isSystemSource('/home/me/src/main.c'));
    assert.ok(!isSystemSource('/usr2/include/x.h'));
  });
});
