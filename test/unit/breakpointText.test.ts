import * as assert from 'assert';
import { parseHitCondition } from '../../adapter/breakpoints/hitCondition';
import { parseLogMessage } from '../../adapter/breakpoints/logMessage';

function hitsThatStop(condition: string, upTo = 10): number[] {
  const test = parseHitCondition(condition);
  assert.ok(!(test instanceof Error), String(test));
  return [...Array(upTo).keys()].map((i) => i + 1).filter((n) => test(n));
}

describe('hit conditions', () => {
  it('treats a bare number as "from the Nth hit on"', () => {
    assert.deepStrictEqual(hitsThatStop('8'), [8, 9, 10]);
  });
  it('supports the comparison operators and modulo', () => {
    assert.deepStrictEqual(hitsThatStop('== 3'), [3]);
    assert.deepStrictEqual(hitsThatStop('>8'), [9, 10]);
    assert.deepStrictEqual(hitsThatStop('>= 9'), [9, 10]);
    assert.deepStrictEqual(hitsThatStop('< 3'), [1, 2]);
    assert.deepStrictEqual(hitsThatStop('<=2'), [1, 2]);
    assert.deepStrictEqual(hitsThatStop('% 4'), [4, 8]);
  });
  it('rejects what it does not understand, with the accepted forms', () => {
    assert.match(String(parseHitCondition('sometimes')), /not understood: use a number or/);
    assert.match(String(parseHitCondition('% 0')), /never matches/);
    assert.ok(parseHitCondition('-1') instanceof Error);
  });
});

describe('logpoint messages', () => {
  it('splits text and {expressions}', () => {
    assert.deepStrictEqual(parseLogMessage('x={x}, y={p->y}!'), [{ text: 'x=' }, { expression: 'x' }, { text: ', y=' }, { expression: 'p->y' }, { text: '!' }]);
  });
  it('keeps doubled braces and unclosed braces as text', () => {
    assert.deepStrictEqual(parseLogMessage('{{literal}} {unclosed'), [{ text: '{literal} {unclosed' }]);
    assert.deepStrictEqual(parseLogMessage('{}'), [{ text: '{}' }]);
  });
});
