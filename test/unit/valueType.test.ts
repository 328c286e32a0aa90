import * as assert from 'assert';
import { formatTyped, kindOf } from '../../adapter/watch/valueType';

describe('watched values shown by their type', () => {
  it('tells the kind of a type from the name gdb gives it', () => {
    assert.strictEqual(kindOf('float', 4), 'float');
    assert.strictEqual(kindOf('double', 8), 'float');
    assert.strictEqual(kindOf('struct job *', 8), 'pointer');
    assert.strictEqual(kindOf('const char *', 8), 'pointer');
    assert.strictEqual(kindOf('unsigned int', 4), 'unsigned');
    assert.strictEqual(kindOf('uint64_t', 8), 'unsigned');
    assert.strictEqual(kindOf('long', 8), 'signed');
    assert.strictEqual(kindOf('char', 1), 'char');
    assert.strictEqual(kindOf('_Bool', 1), 'bool');
    assert.strictEqual(kindOf('struct wide', 16), 'other');
    assert.strictEqual(kindOf('enum color', 4), 'other');
  });

  it('formats bytes as gdb prints the type', () => {
    const le = (hex: string) => Buffer.from(hex, 'hex');
    assert.strictEqual(formatTyped(le('0000003f'), { name: 'float', kind: 'float' }), '0.5');
    assert.strictEqual(formatTyped(le('cdcccc3d'), { name: 'float', kind: 'float' }), '0.100000001');
    assert.strictEqual(formatTyped(le('9a9999999999b93f'), { name: 'double', kind: 'float' }), '0.1');
    assert.strictEqual(formatTyped(le('0000000000000000'), { name: 'struct job *', kind: 'pointer' }), '(struct job *) 0x0');
    assert.strictEqual(formatTyped(le('5040555555550000'), { name: 'struct job *', kind: 'pointer' }), '(struct job *) 0x555555554050');
    assert.strictEqual(formatTyped(le('41'), { name: 'char', kind: 'char' }), "65 'A'");
    assert.strictEqual(formatTyped(le('0a'), { name: 'char', kind: 'char' }), "10 '\\n'");
    assert.strictEqual(formatTyped(le('01'), { name: '_Bool', kind: 'bool' }), 'true');
    assert.strictEqual(formatTyped(le('ffffffff'), { name: 'unsigned int', kind: 'unsigned' }), '4294967295');
    assert.strictEqual(formatTyped(le('ffffffff'), { name: 'int', kind: 'signed' }), '-1');
    assert.strictEqual(formatTyped(le('0000803f'), undefined), '1065353216', 'an address watch has no type: its bytes as an integer');
    assert.strictEqual(formatTyped(le('01000000'), { name: 'enum color', kind: 'other' }), undefined, 'gdb names enumerators');
  });
});
