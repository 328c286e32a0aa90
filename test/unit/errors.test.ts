import * as assert from 'assert';
import { errorText, XSAVE_HINT } from '../../adapter/util/errors';
import { GdbCommandError } from '../../adapter/gdb/connection';

describe('error texts', () => {
  it("explains gdb 13's XSAVE failure on AMX CPUs and names the fix, once", () => {
    const failure = new GdbCommandError("Couldn't write extended state status: Bad address.", '-data-evaluate-expression getpid()');
    const text = errorText(failure);
    assert.ok(text.startsWith("Couldn't write extended state status: Bad address."), text);
    assert.ok(text.includes(XSAVE_HINT) && /gdbPath/.test(text) && /gdb 14/.test(text), text);
    assert.strictEqual(errorText(new Error(text)), text, 'the hint is not added twice');
  });

  it('passes other errors through as gdb wrote them', () => {
    assert.strictEqual(errorText(new GdbCommandError('No symbol "x" in current context.', '-var-create')), 'No symbol "x" in current context.');
    assert.strictEqual(errorText('plain'), 'plain');
  });
});
