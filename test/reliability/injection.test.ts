import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { markerLine, program, requireToolchain, Session, sourceOf, TIMEOUT, withSession } from '../integration/harness';

const SENTINEL = path.join(os.tmpdir(), `pwatch-injection-${process.pid}`);

/** Things gdb would run if a string ever reached its command line. */
const PAYLOADS = [
  `shell touch ${SENTINEL}`,
  `-interpreter-exec console "shell touch ${SENTINEL}"`,
  `python open('${SENTINEL}', 'w').close()`,
  `pipe info threads | touch ${SENTINEL}`,
  `!touch ${SENTINEL}`,
];

/** Ways to smuggle a payload past quoting: line breaks, quotes, backslashes, MI tokens, NULs, length. */
const WRAPPERS: Array<(p: string) => string> = [
  (p) => p,
  (p) => `\n${p}`,
  (p) => `x\n${p}`,
  (p) => `x\r\n${p}\r\n`,
  (p) => `"\n${p}\n"`,
  (p) => `\\"\n${p}`,
  (p) => `"; ${p}; "`,
  (p) => `1\n123${p.startsWith('-') ? p : `-interpreter-exec console "${p}"`}`,
  (p) => `x\0\n${p}`,
  (p) => `${'A'.repeat(5000)}\n${p}`,
  (p) => `$(${p})\`${p}\``,
];

const CORPUS = PAYLOADS.flatMap((p) => WRAPPERS.map((w) => w(p)));

async function answer(request: Promise<unknown>): Promise<'ok' | 'error'> {
  return request.then(
    () => 'ok' as const,
    () => 'error' as const,
  );
}

describe(`GDB/MI injection: ${CORPUS.length} hostile strings in every field that reaches gdb`, function () {
  this.timeout(TIMEOUT * 10);
  before(function () {
    requireToolchain(this);
    fs.rmSync(SENTINEL, { force: true });
  });
  afterEach(() => assert.ok(!fs.existsSync(SENTINEL), `gdb executed an injected command: ${SENTINEL} exists`));

  it('would notice an executed command: the deliberate -exec passthrough runs one and the sentinel appears', async () => {
    // The positive control for every check below: without it, a sentinel that can never appear proves nothing.
    await withSession(async (s) => {
      const line = markerLine('spin', 'spin-main');
      const stopped = await s.launchToStop({ program: program('spin'), args: ['120'] }, { [sourceOf('spin')]: [{ line }] });
      const frame = await s.topFrame(stopped.body.threadId!);
      await s.dc.evaluateRequest({ expression: `-exec ${PAYLOADS[0]}`, frameId: frame.id, context: 'repl' });
      assert.ok(fs.existsSync(SENTINEL), `-exec ${PAYLOADS[0]} did not create ${SENTINEL}`);
      fs.rmSync(SENTINEL);
    });
    assert.ok(CORPUS.length >= 50, `${CORPUS.length} strings`);
  });

  it('never executes them from breakpoints, expressions, variables or data breakpoints', async () => {
    await withSession(async (s) => {
      const line = markerLine('spin', 'spin-main');
      const stopped = await s.launchToStop({ program: program('spin'), args: ['120'] }, { [sourceOf('spin')]: [{ line }] });
      const frame = await s.topFrame(stopped.body.threadId!);
      const scopes = await s.dc.scopesRequest({ frameId: frame.id });
      const locals = scopes.body.scopes.find((x) => x.name === 'Locals')!;
      await s.dc.variablesRequest({ variablesReference: locals.variablesReference });
      const source = { path: sourceOf('spin') };
      for (const h of CORPUS) {
        await answer(s.dc.setBreakpointsRequest({ source, breakpoints: [{ line, condition: h }] }));
        await answer(s.dc.setBreakpointsRequest({ source, breakpoints: [{ line, hitCondition: h }] }));
        await answer(s.dc.setBreakpointsRequest({ source, breakpoints: [{ line, logMessage: `log {${h}}` }] }));
        await answer(s.dc.setBreakpointsRequest({ source: { path: h }, breakpoints: [{ line }] }));
        await answer(s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: h, condition: h }] }));
        for (const context of ['watch', 'hover', 'repl'] as const) {
          await answer(s.dc.evaluateRequest({ expression: h, frameId: frame.id, context }));
        }
        await answer(s.dc.setVariableRequest({ variablesReference: locals.variablesReference, name: 'seconds', value: h }));
        await answer(s.dc.dataBreakpointInfoRequest({ name: h, frameId: frame.id }));
        await answer(s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: `g/8/${h}`, accessType: 'write', condition: h }] }));
        await answer(s.dc.customRequest('readMemory', { memoryReference: h, count: 8 }));
        await answer(s.dc.customRequest('pwatch/setDataLogpoints', { logpoints: [{ expression: h, frameId: frame.id }, { address: h, bytes: 8 }] }));
        await answer(s.dc.customRequest('pwatch/addDataBreakpoint', { expression: h, condition: h }));
      }
      await answer(s.dc.customRequest('pwatch/setDataLogpoints', { logpoints: [] }));
      // Hostile expressions evaluated at run time: a logpoint hit once, and a data breakpoint condition.
      await s.dc.setBreakpointsRequest({
        source,
        breakpoints: [{ line, hitCondition: '== 1', logMessage: `log: ${CORPUS.slice(0, 20).map((h) => `{${h}}`).join(' | ')}` }],
      });
      await s.dc.setDataBreakpointsRequest({ breakpoints: [] });
      await s.dc.continueRequest({ threadId: stopped.body.threadId! });
      await s.waitForOutput('console', /^log: /m);
      const paused = s.dc.waitForEvent('stopped');
      await s.dc.pauseRequest({ threadId: 1 });
      await paused;
      const threads = await s.dc.threadsRequest();
      assert.ok(threads.body.threads.length >= 2, 'gdb is alive and still debugging the program');
    });
  });

  it('never executes them from launch arguments, cwd, environment or gdbPath', async () => {
    const launch = async (args: Record<string, unknown>): Promise<'ok' | 'error'> => {
      const s = await new Session().start();
      try {
        await s.dc.initializeRequest();
        const result = await answer(Promise.all([s.configure(), s.dc.launch(args)]));
        if (result === 'ok') {
          await s.dc.waitForEvent('terminated');
        }
        return result;
      } finally {
        await s.close();
      }
    };
    const base = { program: program('threads'), args: ['1'] };
    // Arguments are the program's business: every one arrives verbatim (through pwatch-exec, never gdb's
    // parser), and one with a NUL, which no program can receive, is refused.
    const passable = CORPUS.filter((h) => !h.includes('\0'));
    const s0 = await new Session().start();
    try {
      await Promise.all([s0.configure(), s0.dc.launch({ program: program('argv'), args: passable })]);
      const out = await s0.waitForOutput('stdout', /argv: done/);
      const got = [...out.matchAll(/^argv\[\d+\] = ([0-9a-f]*)\r?$/gm)].map((m) => Buffer.from(m[1], 'hex').toString('utf8'));
      assert.deepStrictEqual(got, passable, 'every hostile argument reached the program verbatim');
    } finally {
      await s0.close();
    }
    for (const h of CORPUS.filter((x) => x.includes('\0'))) {
      assert.strictEqual(await launch({ ...base, args: [h] }), 'error', `argument ${JSON.stringify(h.slice(0, 60))} is refused`);
    }
    for (const h of CORPUS) {
      assert.strictEqual(await launch({ ...base, cwd: h }), 'error');
      assert.strictEqual(await launch({ ...base, env: { [h]: '1' } }), 'error');
      assert.strictEqual(await launch({ ...base, gdbPath: h }), 'error');
    }
    // Values go into gdb's own environment (never through MI), so they are accepted and harmless.
    const env = Object.fromEntries(CORPUS.filter((h) => !h.includes('\0')).map((h, i) => [`PWATCH_HOSTILE_${i}`, h]));
    const s = await new Session().start();
    try {
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      await Promise.all([s.configure(), s.dc.launch({ ...base, env })]);
      assert.strictEqual((await exited).body.exitCode, 0);
    } finally {
      await s.close();
    }
  });
});
