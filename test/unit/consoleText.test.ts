import * as assert from 'assert';
import { wordStart } from '../../adapter/presentation/completions';
import { splitFormatSuffix } from '../../adapter/variables/format';

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
