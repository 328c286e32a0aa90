import * as assert from 'assert';
import { typeNameOf, typeRegex } from '../../adapter/breakpoints/exceptionBreakpoints';

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

describe('the type of a thrown exception', () => {
  it('is read whole from the type_info symbol, templates and symbol versions included', () => {
    assert.strictEqual(typeNameOf('0x7ffff7e8f0b8 <typeinfo for std::runtime_error@GLIBCXX_3.4>'), 'std::runtime_error');
    assert.strictEqual(typeNameOf('0x555555557d40 <typeinfo for Box<int>>'), 'Box<int>');
    assert.strictEqual(
      typeNameOf('0x555555557d40 <typeinfo for Box<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >>'),
      'Box<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >',
    );
    assert.strictEqual(typeNameOf('0x555555557d40 <typeinfo for char const*>'), 'char const*');
    assert.strictEqual(typeNameOf('0x555555557d40'), undefined);
  });
});
