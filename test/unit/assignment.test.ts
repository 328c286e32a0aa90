import * as assert from 'assert';
import { assignmentTarget } from '../../adapter/variables/assignment';

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
