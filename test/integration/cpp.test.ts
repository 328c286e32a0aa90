import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, Session, sourceOf, suite, withSession } from './harness';

/** Stops inventory (C++) where its values are all set, and returns the top frame's id. */
async function atValues(s: Session): Promise<{ threadId: number; frameId: number }> {
  const stopped = await s.launchToStop({ program: program('inventory'), args: ['10'] }, { [sourceOf('inventory', 'cpp')]: [{ line: markerLine('inventory', 'inventory-values', 'cpp') }] });
  const threadId = stopped.body.threadId!;
  return { threadId, frameId: (await s.topFrame(threadId)).id };
}

async function childrenOf(s: Session, reference: number, start?: number, count?: number): Promise<DebugProtocol.Variable[]> {
  const args: DebugProtocol.VariablesArguments = start === undefined ? { variablesReference: reference } : { variablesReference: reference, filter: 'indexed', start, count };
  return (await s.dc.variablesRequest(args)).body.variables;
}

suite('C++ values', 'gdb', 3, () => {
  it('shows std::string, std::vector and std::map as the language does, and pages a 100,000-element vector', async () => {
    await withSession(async (s) => {
      const { frameId } = await atValues(s);
      const locals = await s.localsOf(frameId);
      const name = locals.find((v) => v.name === 'name')!;
      assert.strictEqual(name.value, '"warehouse \\"north\\""');
      assert.strictEqual(name.variablesReference, 0, 'a string is a value, not a structure to open');

      const counts = locals.find((v) => v.name === 'counts')!;
      assert.match(counts.value, /^std::vector of length 100000, capacity \d+$/);
      assert.strictEqual(counts.indexedVariables, 100000);
      const tail = await childrenOf(s, counts.variablesReference, 99990, 10);
      assert.deepStrictEqual(tail.map((v) => `${v.name}=${v.value}`), Array.from({ length: 10 }, (_, i) => `[${99990 + i}]=${(99990 + i) * 3}`));

      const stock = await s.dc.evaluateRequest({ expression: 'ledger.stock', context: 'watch', frameId });
      assert.strictEqual(stock.body.result, 'std::map with 3 elements');
      assert.strictEqual(stock.body.indexedVariables, 3);
      const pairs = await childrenOf(s, stock.body.variablesReference);
      assert.deepStrictEqual(pairs.map((v) => `${v.name}=${v.value}`), ['["bolts"]=40', '["nuts"]=75', '["washers"]=12']);

      // libstdc++'s xmethods answer operator[] without calling into the program.
      assert.strictEqual((await s.dc.evaluateRequest({ expression: 'counts[5]', context: 'watch', frameId })).body.result, '15');
    });
  });

  it('shows a base pointer as the object it points to, members without access-level nodes', async () => {
    await withSession(async (s) => {
      const { frameId } = await atValues(s);
      const item = (await s.localsOf(frameId)).find((v) => v.name === 'item')!;
      assert.strictEqual(item.type, 'Tool *', 'the dynamic type, not Item *');
      const members = await childrenOf(s, item.variablesReference);
      assert.deepStrictEqual(members.map((v) => v.name), ['Item', 'weight']);
      assert.strictEqual(members.find((v) => v.name === 'weight')!.value, '1.5');
      const base = await childrenOf(s, members.find((v) => v.name === 'Item')!.variablesReference);
      const fields = Object.fromEntries(base.filter((v) => v.name !== '_vptr.Item').map((v) => [v.name, v.value]));
      assert.deepStrictEqual(fields, { label: '"hammer"', quantity: '3' });

      const ledger = await s.dc.evaluateRequest({ expression: 'ledger', context: 'watch', frameId });
      const ledgerMembers = await childrenOf(s, ledger.body.variablesReference);
      assert.deepStrictEqual(ledgerMembers.map((v) => v.name), ['entries', 'stock']);
    });
  });
});
