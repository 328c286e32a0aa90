import * as assert from 'assert';
import { GdbVarObject } from '../../adapter/gdb/commands/var';
import { elementCount, isAccessLevel, mapPairs, needsSummary, summaryOf } from '../../adapter/variables/pretty';

const object = (exp: string, value: string, type = 'int'): GdbVarObject => ({ name: `var1.${exp}`, exp, value, type, numchild: 0, dynamic: false, hasMore: false });

describe('pretty-printed values', () => {
  it('reads the element count from libstdc++ and Rust summaries', () => {
    assert.strictEqual(elementCount('std::vector of length 100000, capacity 131072'), 100000);
    assert.strictEqual(elementCount('std::map with 3 elements'), 3);
    assert.strictEqual(elementCount('std::set with 1 element'), 1);
    assert.strictEqual(elementCount('std::unordered_map with 0 elements'), 0);
    assert.strictEqual(elementCount('empty std::__cxx11::list'), 0);
    assert.strictEqual(elementCount('Vec(size=7)'), 7);
    assert.strictEqual(elementCount('std::__cxx11::list'), undefined, 'a list does not say: paged by a limit instead');
    assert.strictEqual(elementCount('std::unique_ptr<Tool>'), undefined);
  });

  it('keeps the summary, not the elements gdb prints after it', () => {
    assert.strictEqual(summaryOf('std::vector of length 3, capacity 4 = {1, 2, 3}'), 'std::vector of length 3, capacity 4');
    assert.strictEqual(summaryOf('std::unique_ptr<Tool>'), 'std::unique_ptr<Tool>');
  });

  it('pairs a map printer\'s alternating key and value children', () => {
    const pairs = mapPairs([object('[0]', '"bolts"', 'std::string'), object('[1]', '40'), object('[2]', '"nuts"', 'std::string'), object('[3]', '75'), object('[4]', '"odd"')]);
    assert.deepStrictEqual(pairs.map((p) => `${p.name}=${p.value.value}`), ['["bolts"]=40', '["nuts"]=75']);
    // Structure keys all print as {...}: each entry keeps a name of its own, so Set Value finds the right one.
    const tuples = mapPairs([object('[0]', '{...}', '(u8, u8)'), object('[1]', '34'), object('[2]', '{...}', '(u8, u8)'), object('[3]', '12')]);
    assert.deepStrictEqual(tuples.map((p) => p.name), ['[{...}]', '[{...}] (entry 2)']);
  });

  it('flattens only the access levels gdb inserts, not members that happen to be called public', () => {
    assert.ok(isAccessLevel(object('private', '', '')));
    assert.ok(!isAccessLevel(object('public', '1', 'int')), 'a C member named public has a type');
    assert.ok(!isAccessLevel(object('weight', '1.5', 'double')));
  });

  it('asks for a summary only where gdb shows a printer\'s object as {...}', () => {
    assert.ok(needsSummary({ dynamic: true, value: '{...}' }));
    assert.ok(!needsSummary({ dynamic: true, value: '"text"' }));
    assert.ok(!needsSummary({ dynamic: false, value: '{...}' }), 'a plain struct keeps {...}');
  });
});
