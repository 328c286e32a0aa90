import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, Session, sourceOf, suite, withSession } from './harness';

async function atInventoryValues(s: Session): Promise<number> {
  const stopped = await s.launchToStop({ program: program('inventory'), args: ['10'] }, { [sourceOf('inventory', 'cpp')]: [{ line: markerLine('inventory', 'inventory-values', 'cpp') }] });
  return (await s.topFrame(stopped.body.threadId!)).id;
}

suite('Debug Console: completions and number formats', 'gdb', 3, () => {
  it('completes variables, members and gdb commands from gdb\'s completer, replacing only the word typed', async () => {
    await withSession(async (s) => {
      const frameId = await atInventoryValues(s);
      const complete = async (text: string) => (await s.dc.customRequest('completions', { text, column: text.length + 1, frameId })).body.targets as DebugProtocol.CompletionItem[];
      // Columns start at 1 for this client (the DebugClient default, as in VS Code).
      assert.deepStrictEqual((await complete('ledger.st')).find((t) => t.label === 'stock'), { label: 'stock', start: 8, length: 2 });
      assert.ok((await complete('coun')).some((t) => t.label === 'counts' && t.start === 1 && t.length === 4));
      assert.ok((await complete('-exec info reg')).some((t) => t.label === 'registers' && t.start === 12));
      assert.deepStrictEqual(await complete('zzz_no_such_'), []);
    });
  });

  it('shows numbers in hex by the client\'s format or a ,x suffix, and other bases by suffix', async () => {
    await withSession(async (s) => {
      const frameId = await atInventoryValues(s);
      const evaluate = (expression: string, format?: DebugProtocol.ValueFormat) => s.dc.evaluateRequest({ expression, context: 'watch', frameId, format } as DebugProtocol.EvaluateArguments);
      assert.strictEqual((await evaluate('counts[5]')).body.result, '15');
      assert.strictEqual((await evaluate('counts[5],x')).body.result, '0xf');
      assert.strictEqual((await evaluate('counts[5], o')).body.result, '017');
      assert.strictEqual((await evaluate('counts[5],b')).body.result, '1111');
      assert.strictEqual((await evaluate('rounds', { hex: true })).body.result, '0xa');
      // A container asked for in hex shows its members in hex.
      const stock = await evaluate('ledger.stock,x');
      const pairs = (await s.dc.variablesRequest({ variablesReference: stock.body.variablesReference })).body.variables;
      assert.deepStrictEqual(pairs.map((v) => `${v.name}=${v.value}`), ['["bolts"]=0x28', '["nuts"]=0x4b', '["washers"]=0xc']);
      // Locals in hex when the client asks.
      const scopes = await s.dc.scopesRequest({ frameId });
      const locals = await s.dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference, format: { hex: true } });
      assert.strictEqual(locals.body.variables.find((v) => v.name === 'rounds')?.value, '0xa');
    });
  });
});
