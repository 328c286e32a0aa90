import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { requireFiringWatchpoints } from '../machine';
import { childrenOf, markerLine, program, Session, sourceOf, suite, withSession } from './harness';

const SOURCE = sourceOf('accounts', 'rs');
const line = (marker: string) => markerLine('accounts', marker, 'rs');

/**
 * Launches accounts with function breakpoints and exception filters set before configurationDone. Calls into the
 * program are forbidden for the whole session: on CPUs with AMX gdb 13 fails every call (CONTEXT.md), so nothing
 * shown here may need one, and on other CPUs this is what makes a call that slipped in fail the test.
 */
async function launch(
  s: Session,
  setup: { functions?: string[]; lines?: number[]; exceptions?: string[]; stopAtEntry?: boolean },
): Promise<{ stopped: DebugProtocol.StoppedEvent; answers: DebugProtocol.Breakpoint[] }> {
  const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  let answers: DebugProtocol.Breakpoint[] = [];
  const configure = async () => {
    await s.dc.waitForEvent('initialized');
    if (setup.lines) {
      await s.dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: setup.lines.map((l) => ({ line: l })) });
    }
    if (setup.functions) {
      answers = (await s.dc.setFunctionBreakpointsRequest({ breakpoints: setup.functions.map((name) => ({ name })) })).body.breakpoints;
    }
    if (setup.exceptions) {
      answers = (await s.dc.setExceptionBreakpointsRequest({ filters: setup.exceptions })).body?.breakpoints ?? [];
    }
    await s.dc.configurationDoneRequest();
  };
  const setupCommands = [{ text: 'set may-call-functions off' }];
  await Promise.all([configure(), s.dc.launch({ program: program('accounts'), stopAtEntry: setup.stopAtEntry === true, setupCommands } as DebugProtocol.LaunchRequestArguments)]);
  return { stopped: await stopped, answers };
}

suite('Rust', 'rust', 3, () => {
  it('shows String, &str, Option, Result, enums, Vec and HashMap as Rust writes them, and pages a 100,000-element Vec', async () => {
    await withSession(async (s) => {
      const { stopped } = await launch(s, { lines: [line('accounts-values')] });
      const frame = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(frame.name, 'accounts::main');
      const locals = Object.fromEntries((await s.localsOf(frame.id)).map((v) => [v.name, v]));
      assert.strictEqual(locals.owner.value, '"Ada \\"the\\" Lovelace"');
      assert.strictEqual(locals.owner.variablesReference, 0, 'a String is a value, not a structure to open');
      assert.strictEqual(locals.nickname.value, '"Ada"');
      assert.strictEqual(locals.maybe.value, 'Some(42)');
      assert.deepStrictEqual((await childrenOf(s, locals.maybe.variablesReference)).map((v) => `${v.name}=${v.value}`), ['0=42']);
      assert.strictEqual(locals.nothing.value, 'None');
      assert.strictEqual(locals.nothing.variablesReference, 0, 'None has nothing to open');
      assert.strictEqual(locals.outcome.value, 'Err("overdrawn")');

      assert.strictEqual(locals.entries.indexedVariables, 3);
      assert.deepStrictEqual((await childrenOf(s, locals.entries.variablesReference)).map((v) => v.value), ['Deposit{amount: 250, from: "bank"}', 'Fee(7)', 'Closed']);

      assert.match(locals.balances.value, /^Vec\(size=100000\)$/);
      assert.strictEqual(locals.balances.indexedVariables, 100000);
      const tail = await childrenOf(s, locals.balances.variablesReference, 99990, 10);
      assert.deepStrictEqual(tail.map((v) => `${v.name}=${v.value}`), Array.from({ length: 10 }, (_, i) => `[${99990 + i}]=${(99990 + i) * 3}`));
      assert.deepStrictEqual((await childrenOf(s, locals.rates.variablesReference)).map((v) => `${v.name}=${v.value}`), ['["eur"]=2']);

      // gdb's Rust evaluator subscripts arrays only: a Vec is indexed through its printer, in memory.
      const evaluate = async (expression: string) => (await s.dc.evaluateRequest({ expression, context: 'watch', frameId: frame.id })).body;
      assert.strictEqual((await evaluate('balances[99999]')).result, '299997');
      assert.strictEqual((await evaluate('entries[1]')).result, 'Fee(7)');
      assert.strictEqual((await evaluate('balances[2],x')).result, '0x6');
      await assert.rejects(evaluate('balances[100000]'), /index 100000 is out of range: the length is 100000/);
      assert.strictEqual((await evaluate('AUDITS')).result, '1', 'a static of the crate, by its name');
      assert.strictEqual((await evaluate('accounts::AUDITS')).result, '1', 'and by its path');

      // Set Value on a watch, and on an element the Vec's printer made (through the index function).
      assert.strictEqual((await s.dc.customRequest('setExpression', { expression: 'balances[4]', value: '99', frameId: frame.id })).body.value, '99');
      assert.strictEqual((await evaluate('balances[4]')).result, '99');
      const element = (await childrenOf(s, locals.balances.variablesReference)).find((v) => v.name === '[7]')!;
      assert.strictEqual((await s.dc.setVariableRequest({ variablesReference: locals.balances.variablesReference, name: element.name, value: '70' })).body.value, '70');
      assert.strictEqual((await evaluate('balances[7]')).result, '70');
      // A structure is not copied byte for byte: a String so copied is freed twice (the program dies).
      await assert.rejects(s.dc.customRequest('setExpression', { expression: 'owner', value: 'outcome', frameId: frame.id }), /'owner' cannot be assigned as a whole: gdb would copy its bytes/);
      await assert.rejects(s.dc.customRequest('setExpression', { expression: 'maybe', value: 'nothing', frameId: frame.id }), /cannot be assigned as a whole/);
      assert.strictEqual((await evaluate('owner')).result, '"Ada \\"the\\" Lovelace"');

      // A map is indexed by key; an array literal, on which gdb 13's Rust parser dies, is refused and gdb lives on.
      assert.strictEqual((await evaluate('rates["eur"]')).result, '2');
      await assert.rejects(evaluate('rates["usd"]'), /no key "usd"/);
      await assert.rejects(evaluate('[1, 2]'), /crashes on array literals/);
      await assert.rejects(evaluate('('.repeat(20000) + '1' + ')'.repeat(20000)), /nested more than 256 deep/);
      assert.strictEqual((await evaluate('workers')).result, '3');

      // Through references, Rc and arrays as Rust indexes them, bounds checked.
      assert.strictEqual((await evaluate('days[3]')).result, '4');
      await assert.rejects(evaluate('days[5]'), /index 5 is out of range: the length is 5/);
      assert.strictEqual((await evaluate('shared[1]')).result, '8');

      // A Box shows as a pointer and owns its target: it is not assigned (a double free), what it points to is.
      await assert.rejects(s.dc.customRequest('setExpression', { expression: 'boxed', value: 'spare', frameId: frame.id }), /a Box owns what it points to/);
      assert.strictEqual((await s.dc.customRequest('setExpression', { expression: '*boxed', value: '12', frameId: frame.id })).body.value, '12');
      // An assignment typed in the Debug Console passes the same checks.
      await assert.rejects(s.dc.evaluateRequest({ expression: 'owner = outcome', context: 'repl', frameId: frame.id }), /'owner' cannot be assigned as a whole/);
      assert.strictEqual((await s.dc.evaluateRequest({ expression: 'workers += 1', context: 'repl', frameId: frame.id })).body.result, '()', "Rust's value of an assignment");
      assert.strictEqual((await evaluate('workers')).result, '4');
    });
  });

  it('translates breakpoint conditions (subscripts), refuses one gdb would die of, and steps over std on Step Into', async () => {
    await withSession(async (s) => {
      const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      let answers: DebugProtocol.Breakpoint[] = [];
      const configure = async () => {
        await s.dc.waitForEvent('initialized');
        const breakpoints = [{ line: line('accounts-sum'), condition: '[1] == n' }, { line: line('accounts-sum'), condition: 'balances[2] == 6' }];
        answers = (await s.dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints })).body.breakpoints;
        await s.dc.configurationDoneRequest();
      };
      await Promise.all([configure(), s.dc.launch({ program: program('accounts') })]);
      assert.strictEqual(answers[0].verified, false);
      assert.match(answers[0].message ?? '', /crashes on array literals/);
      const stop = await stopped;
      assert.strictEqual(stop.body.reason, 'breakpoint', 'the subscript condition holds');
      const threadId = stop.body.threadId!;
      const stepped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.stepInRequest({ threadId });
      await stepped;
      const frame = await s.topFrame(threadId);
      assert.strictEqual(frame.source?.path, SOURCE, `Step Into over iter/take/sum stays in the program's code, not in ${frame.name}`);
    });
  });

  it('indexes a Vec passed by reference as the Vec, not as a pointer', async () => {
    await withSession(async (s) => {
      const { stopped } = await launch(s, { lines: [line('accounts-sum')] });
      const frame = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(frame.name, 'accounts::sum_first');
      // The parameter is a reference: shown and opened as the Vec it refers to, paged far in.
      const balances = (await s.localsOf(frame.id)).find((v) => v.name === 'balances')!;
      assert.strictEqual(balances.value, 'Vec(size=100000)');
      assert.strictEqual(balances.indexedVariables, 100000);
      assert.deepStrictEqual((await childrenOf(s, balances.variablesReference, 99998, 2)).map((v) => `${v.name}=${v.value}`), ['[99998]=299994', '[99999]=299997']);
      const evaluate = async (expression: string) => (await s.dc.evaluateRequest({ expression, context: 'watch', frameId: frame.id })).body;
      assert.strictEqual((await evaluate('balances[3]')).result, '9');
      assert.strictEqual((await evaluate('balances[99999]')).result, '299997');
      await assert.rejects(evaluate('balances[100000]'), /out of range/);
    });
  });

  it('takes `main` as the crate\'s main (not the C runtime\'s), for stopAtEntry too, and functions by Rust path', async () => {
    await withSession(async (s) => {
      const { stopped, answers } = await launch(s, { functions: ['main'] });
      assert.strictEqual(answers[0].verified, true);
      assert.strictEqual(stopped.body.reason, 'function breakpoint');
      const frame = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(frame.name, 'accounts::main');
      assert.strictEqual(frame.source?.path, SOURCE);
    });
    await withSession(async (s) => {
      const { stopped } = await launch(s, { stopAtEntry: true });
      assert.strictEqual(stopped.body.reason, 'entry');
      const frame = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(frame.name, 'accounts::main');
      assert.strictEqual(frame.source?.path, SOURCE);
    });
    await withSession(async (s) => {
      const { stopped } = await launch(s, { functions: ['accounts::deposit'] });
      assert.notStrictEqual(stopped.body.threadId, 1, 'a worker thread deposits');
      const frame = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(frame.name, 'accounts::deposit');
      assert.strictEqual(frame.line, line('accounts-deposit') - 1, 'the first line of its body');
    });
  });

  it('stops on a panic (caught by a join) in the panicking thread, with the user\'s frame under std\'s', async () => {
    await withSession(async (s) => {
      const { stopped, answers } = await launch(s, { exceptions: ['rust_panic'] });
      assert.strictEqual(answers[0].verified, true, JSON.stringify(answers));
      assert.strictEqual(stopped.body.reason, 'exception');
      assert.strictEqual(stopped.body.description, 'Rust panic');
      assert.match(stopped.body.text ?? '', /^panicked in accounts::audit at accounts\.rs:\d+ \(the panic's message is on the program's stderr\)$/);
      assert.notStrictEqual(stopped.body.threadId, 1, 'the audit thread panics, not main');
      const info = await s.dc.customRequest('exceptionInfo', { threadId: stopped.body.threadId });
      assert.strictEqual(info.body.exceptionId, 'panic');
      const frames = (await s.dc.stackTraceRequest({ threadId: stopped.body.threadId!, startFrame: 0, levels: 20 })).body.stackFrames;
      const user = frames.findIndex((f) => f.source?.path === SOURCE);
      assert.ok(user > 0 && frames.slice(0, user).every((f) => f.presentationHint === 'subtle'), JSON.stringify(frames.map((f) => [f.name, f.presentationHint])));
      assert.strictEqual(frames[user].name, 'accounts::audit');
      assert.strictEqual(frames[user].line, line('accounts-panic'));
    });
  });

  it('says the panic filter waits for a Rust standard library in a C program', async () => {
    await withSession(async (s) => {
      const stopped = s.dc.waitForEvent('stopped');
      let answers: DebugProtocol.Breakpoint[] = [];
      const configure = async () => {
        await s.dc.waitForEvent('initialized');
        answers = (await s.dc.setExceptionBreakpointsRequest({ filters: ['rust_panic'] })).body?.breakpoints ?? [];
        await s.dc.configurationDoneRequest();
      };
      await Promise.all([configure(), s.dc.launch({ program: program('threads'), stopAtEntry: true })]);
      await stopped;
      assert.strictEqual(answers[0].verified, false);
      assert.match(answers[0].message ?? '', /no Rust standard library is loaded/);
    });
  });

  it('stops the worker that writes a static, process-wide', async function () {
    requireFiringWatchpoints(this);
    await withSession(async (s) => {
      await launch(s, { stopAtEntry: true });
      const [bp] = await s.watchGlobals({ name: 'accounts::DEPOSITS' });
      assert.strictEqual(bp.verified, true, bp.message);
      const hit = await s.continueToStop(1);
      assert.strictEqual(hit.body.reason, 'data breakpoint');
      assert.notStrictEqual(hit.body.threadId, 1);
      const frames = (await s.dc.stackTraceRequest({ threadId: hit.body.threadId!, startFrame: 0, levels: 20 })).body.stackFrames;
      assert.ok(frames.some((f) => f.name === 'accounts::deposit'), JSON.stringify(frames.map((f) => f.name)));
    });
  });
});
