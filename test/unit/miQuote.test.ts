import * as assert from 'assert';
import { programArgumentsCommand } from '../../adapter/gdb/commands/exec';
import { parseMiLine } from '../../adapter/gdb/mi/parser';
import { flag, miCliCommand, miCommand, MiQuoteError, quoteMi } from '../../adapter/gdb/mi/quote';

/** gdb parses MI c-string arguments with the same escapes as its output c-strings: round-trip through our parser. */
function roundTrip(text: string): string {
  const record = parseMiLine(`~${quoteMi(text)}`);
  assert.ok(record.kind === 'console', `not one c-string: ${quoteMi(text)}`);
  return record.text;
}

describe('MI quoting', () => {
  const hostile = [
    'plain',
    'with "quotes" and \\backslashes\\',
    'line\n-gdb-exit',
    'cr\r\n-interpreter-exec console "shell touch /tmp/x"',
    '"; shell touch /tmp/pwned; "',
    'tab\there',
    '\u0001\u001b[31m\u007f',
    'ünïcödé ✓',
    '-starts-with-dash',
    '1^done',
    'x'.repeat(10000),
  ];

  it('renders every string as one c-string on one line that decodes to the same text', () => {
    for (const text of hostile) {
      const quoted = quoteMi(text);
      assert.ok(!/[\r\n]/.test(quoted), `newline survived in ${JSON.stringify(quoted)}`);
      assert.strictEqual(roundTrip(text), text);
    }
  });

  it('refuses a NUL, which gdb cannot receive', () => {
    assert.throws(() => quoteMi('a\0b'), MiQuoteError);
  });

  it('quotes every value of a command, and checks operations and flags', () => {
    assert.strictEqual(
      miCommand('-break-insert', flag('-f'), flag('-c'), 'x == "a"', flag('--source'), '/a b/c.c', flag('--line'), 12),
      '-break-insert -f -c "x == \\"a\\"" --source "/a b/c.c" --line 12',
    );
    assert.throws(() => miCommand('-exec-run\n-gdb-exit'), MiQuoteError);
    assert.throws(() => flag('--thread 1'), MiQuoteError);
    assert.throws(() => miCommand('-stack-list-frames', 1.5), MiQuoteError);
  });

  it('allows only plain words in CLI-style commands', () => {
    assert.strictEqual(miCliCommand('-gdb-set', 'mi-async', 'on'), '-gdb-set mi-async on');
    assert.throws(() => miCliCommand('-gdb-set', 'args', 'a b'), MiQuoteError);
    assert.throws(() => miCliCommand('-gdb-set', 'x\nshell touch /tmp/x'), MiQuoteError);
  });

  it('passes program arguments only when gdb can pass them intact without a shell', () => {
    assert.strictEqual(programArgumentsCommand([]), '-exec-arguments');
    assert.strictEqual(programArgumentsCommand(['4', '--flag=x', 'a"b', '$HOME']), '-exec-arguments 4 --flag=x a"b $HOME');
    assert.throws(() => programArgumentsCommand(['two words']), /argument 1 .* white space/);
    assert.throws(() => programArgumentsCommand(['ok', '']), /argument 2/);
    assert.throws(() => programArgumentsCommand(['a\nb']), MiQuoteError);
  });
});
