import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { childrenOf, markerLine, program, Session, sourceOf, suite, withSession } from './harness';

/** Stops inventory (C++) where its values are all set, and returns the top frame's id. */
async function atValues(s: Session): Promise<{ threadId: number; frameId: number }> {
  const stopped = await s.launchToStop({ program: program('inventory'), args: ['10'] }, { [sourceOf('inventory', 'cpp')]: [{ line: markerLine('inventory', 'inventory-values', 'cpp') }] });
  const threadId = stopped.body.threadId!;
  return { threadId, frameId: (await s.topFrame(threadId)).id };
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

      const scopes = await s.dc.scopesRequest({ frameId });
      await assert.rejects(
        s.dc.setVariableRequest({ variablesReference: scopes.body.scopes[0].variablesReference, name: 'name', value: '"x"' }),
        /'name' cannot be assigned as a whole: gdb would copy its bytes, and a type that owns memory \(a String, a Vec, a std::string\) would then be freed twice\. Set one of its elements or members instead/,
      );
      // libstdc++'s xmethods answer operator[] without calling into the program.
      assert.strictEqual((await s.dc.evaluateRequest({ expression: 'counts[5]', context: 'watch', frameId })).body.result, '15');
      // A watch's Set Value (setExpression): through the element's reference, then read back from the program.
      const set = await s.dc.customRequest('setExpression', { expression: 'counts[5]', value: '16', frameId });
      assert.strictEqual(set.body.value, '16');
      assert.strictEqual((await s.dc.evaluateRequest({ expression: 'counts[5]', context: 'watch', frameId })).body.result, '16');
      await assert.rejects(s.dc.customRequest('setExpression', { expression: 'name', value: '"x"', frameId }), /'name' cannot be assigned as a whole/);
      // A container (read through its printer, nothing called in the program) is not assigned as a whole.
      await assert.rejects(s.dc.customRequest('setExpression', { expression: 'ledger.stock', value: '1', frameId }), /'ledger.stock' cannot be assigned as a whole/);
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
      // A container that is a member opens too (gdb lists it with numchild 0).
      const stock = ledgerMembers.find((v) => v.name === 'stock')!;
      assert.strictEqual(stock.value, 'std::map with 3 elements');
      assert.deepStrictEqual((await childrenOf(s, stock.variablesReference)).map((v) => `${v.name}=${v.value}`), ['["bolts"]=40', '["nuts"]=75', '["washers"]=12']);
    });
  });

  it('opens containers inside containers', async () => {
    await withSession(async (s) => {
      const { frameId } = await atValues(s);
      const shelves = (await s.localsOf(frameId)).find((v) => v.name === 'shelves')!;
      assert.strictEqual(shelves.indexedVariables, 2);
      const rows = await childrenOf(s, shelves.variablesReference);
      assert.deepStrictEqual(rows.map((v) => v.name), ['[0]', '[1]']);
      assert.ok(rows.every((row) => row.variablesReference > 0), 'each inner vector opens');
      assert.deepStrictEqual((await childrenOf(s, rows[0].variablesReference)).map((v) => v.value), ['"saw"', '"drill"']);
      assert.deepStrictEqual((await childrenOf(s, rows[1].variablesReference)).map((v) => v.value), ['"glue"']);
    });
  });

  /** Launches inventory with exception breakpoints (and source breakpoints) set during configuration. */
  async function launchWithExceptions(s: Session, exceptions: DebugProtocol.SetExceptionBreakpointsArguments, lines: number[] = []): Promise<DebugProtocol.StoppedEvent> {
    const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const configure = async () => {
      await s.dc.waitForEvent('initialized');
      const set = await s.dc.setExceptionBreakpointsRequest(exceptions);
      assert.ok(set.body?.breakpoints?.every((b) => b.verified), JSON.stringify(set.body));
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('inventory', 'cpp') }, breakpoints: lines.map((line) => ({ line })) });
      await s.dc.configurationDoneRequest();
    };
    await Promise.all([configure(), s.dc.launch({ program: program('inventory'), args: ['10'] } as DebugProtocol.LaunchRequestArguments)]);
    return stopped;
  }

  it('stops where a C++ exception is thrown, names its type and message, and shows the user\'s frame under the runtime\'s', async () => {
    await withSession(async (s) => {
      const stopped = await launchWithExceptions(s, { filters: ['cpp_throw'] });
      assert.strictEqual(stopped.body.reason, 'exception');
      assert.strictEqual(stopped.body.description, 'C++ exception thrown: std::runtime_error');
      assert.strictEqual(stopped.body.text, 'std::runtime_error: audit failed: too many counts');
      const info = await s.dc.customRequest('exceptionInfo', { threadId: stopped.body.threadId });
      assert.strictEqual(info.body.exceptionId, 'std::runtime_error');
      assert.strictEqual(info.body.description, 'audit failed: too many counts');
      const frames = (await s.dc.stackTraceRequest({ threadId: stopped.body.threadId!, startFrame: 0, levels: 5 })).body.stackFrames;
      const user = frames.findIndex((f) => f.source?.path);
      assert.ok(user > 0 && frames.slice(0, user).every((f) => f.presentationHint === 'subtle'), JSON.stringify(frames.map((f) => [f.name, f.presentationHint])));
      assert.strictEqual(frames[user].name, 'audit');
      assert.strictEqual(frames[user].line, markerLine('inventory', 'inventory-throw', 'cpp'));
    });
  });

  it('stops where an exception is caught only for the types asked for', async () => {
    const caught = markerLine('inventory', 'inventory-caught', 'cpp');
    await withSession(async (s) => {
      // Not this type: the catch passes, the program reaches the line after it.
      const stopped = await launchWithExceptions(s, { filters: [], filterOptions: [{ filterId: 'cpp_catch', condition: 'std::out_of_range, std::length_error' }] }, [caught]);
      assert.strictEqual(stopped.body.reason, 'breakpoint');
    });
    await withSession(async (s) => {
      const stopped = await launchWithExceptions(s, { filters: [], filterOptions: [{ filterId: 'cpp_catch', condition: 'std::runtime_error' }] }, [caught]);
      assert.strictEqual(stopped.body.reason, 'exception');
      assert.strictEqual(stopped.body.description, 'C++ exception caught: std::runtime_error');
    });
  });
});

suite('C++ data breakpoints', 'watchpoints', 3, () => {
  it('stops the worker that writes a member of a global object, process-wide, old → new', async () => {
    await withSession(async (s) => {
      const { threadId } = await atValues(s);
      const [bp] = await s.watchGlobals({ name: 'ledger.entries' });
      assert.strictEqual(bp.verified, true, bp.message);
      const hit = await s.continueToStop(threadId);
      assert.strictEqual(hit.body.reason, 'data breakpoint');
      assert.notStrictEqual(hit.body.threadId, threadId, 'a worker writes, not main');
      assert.match(hit.body.description ?? '', /ledger\.entries: 0 → 1/);
      assert.strictEqual((await s.topFrame(hit.body.threadId!)).name, 'worker');
    });
  });
});
