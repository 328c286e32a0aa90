import * as assert from 'assert';
import { typeRegex } from '../../adapter/breakpoints/exceptionBreakpoints';

describe('C++ exception filter conditions', () => {
  it('become gdb basic regexes matching each listed type exactly', () => {
    assert.strictEqual(typeRegex(undefined), undefined);
    assert.strictEqual(typeRegex(' , '), undefined);
    assert.strictEqual(typeRegex('std::runtime_error'), '^\\(std::runtime_error\\)$');
    assert.strictEqual(typeRegex('std::out_of_range, MyError'), '^\\(std::out_of_range\\|MyError\\)$');
  });

  it('keep regex characters in type names literal', () => {
    assert.strictEqual(typeRegex('Box<int*>'), '^\\(Box<int\\*>\\)$');
    assert.strictEqual(typeRegex('a.b[2]'), '^\\(a\\.b\\[2\\]\\)$');
    assert.strictEqual(typeRegex('X+(y)|z'), '^\\(X+(y)|z\\)$', 'in a basic regex + ( ) | are literal as written');
  });
});
