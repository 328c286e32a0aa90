import * as assert from 'assert';
import { assignmentTarget } from '../../adapter/variables/assignment';
import { charArrayLength, cStringLiteral } from '../../adapter/variables/charArray';

describe('assignments typed as expressions', () => {
  it('finds the target of a top-level assignment, compound ones included', () => {
    assert.strictEqual(assignmentTarget('s = t'), 's');
    assert.strictEqual(assignmentTarget('p.name = other.name'), 'p.name');
    assert.strictEqual(assignmentTarget('v[1] = v[0]'), 'v[1]');
    assert.strictEqual(assignmentTarget('x += 1'), 'x');
    assert.strictEqual(assignmentTarget('mask <<= 2'), 'mask');
    assert.strictEqual(assignmentTarget('a>>=1'), 'a');
  });

  it('leaves comparisons, arrows, and assignments inside calls, brackets or strings alone', () => {
    for (const expression of ['a == b', 'a != b', 'a <= b', 'a >= b', 'f(x = 1)', 'v[i = 2]', 's == "a = b"', "c == '='", 'x', '|x| x => y']) {
      assert.strictEqual(assignmentTarget(expression), undefined, expression);
    }
  });
});

describe('C strings into char arrays', () => {
  it('reads one C string literal, escapes included', () => {
    assert.deepStrictEqual(cStringLiteral('"Ada"'), Buffer.from('Ada'));
    assert.deepStrictEqual(cStringLiteral('"a\\"b\\n\\t\\\\\\x41\\101\\0"'), Buffer.from([97, 34, 98, 10, 9, 92, 65, 65, 0]));
    assert.deepStrictEqual(cStringLiteral('"é"'), Buffer.from('é', 'utf8'));
    for (const text of ['Ada', '"a" "b"', '"unterminated', '"bad \\q escape"', "'c'"]) {
      assert.strictEqual(cStringLiteral(text), undefined, text);
    }
  });

  it('knows char arrays by gdb\'s type names', () => {
    assert.strictEqual(charArrayLength('char [256]'), 256);
    assert.strictEqual(charArrayLength('unsigned char [16]'), 16);
    assert.strictEqual(charArrayLength('char *'), undefined);
    assert.strictEqual(charArrayLength('int [4]'), undefined);
  });
});
