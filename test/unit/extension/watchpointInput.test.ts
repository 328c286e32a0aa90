import * as assert from 'assert';
import { checkAddress, checkBytes, checkExpression } from '../../../extension/util/targetInput';

describe('Add Data Breakpoint input checks', () => {
  it('wants a one-line expression', () => {
    assert.strictEqual(checkExpression('shared_counter'), undefined);
    assert.match(checkExpression('  ') ?? '', /Type the expression/);
    assert.match(checkExpression('a\nb') ?? '', /One line/);
  });
  it('wants an address in hex or decimal', () => {
    assert.strictEqual(checkAddress('0x7ffd1234'), undefined);
    assert.strictEqual(checkAddress('4096'), undefined);
    assert.match(checkAddress('&x') ?? '', /hex/);
  });
  it('checks the byte count against size and the registers its alignment needs', () => {
    assert.strictEqual(checkBytes('8', '0x1000'), undefined);
    assert.strictEqual(checkBytes('32', '0x1000'), undefined, 'four aligned 8-byte pieces');
    assert.match(checkBytes('0', '0x1000') ?? '', /1 to 32/);
    assert.match(checkBytes('33', '0x1000') ?? '', /1 to 32/);
    assert.match(checkBytes('16', '0x1001') ?? '', /need 5 debug registers/);
  });
});
