import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, Session, sourceOf, withSession, suite } from '../integration/harness';
import { adapterPid, exists } from './processes';
import { Random } from './random';

const REQUESTS = Number(process.env.PWATCH_FUZZ_REQUESTS ?? 10000);
// Fixed by default so CI is repeatable; set PWATCH_FUZZ_SEED to explore other runs.
const SEED = Number(process.env.PWATCH_FUZZ_SEED ?? 20261126);

/** Requests that keep the session alive; launch/attach are included (a live session must refuse them). */
const COMMANDS = [
  'initialize', 'launch', 'attach', 'configurationDone', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints',
  'dataBreakpointInfo', 'setDataBreakpoints', 'continue', 'next', 'stepIn', 'stepOut', 'pause', 'threads', 'stackTrace',
  'scopes', 'variables', 'setVariable', 'evaluate', 'readMemory', 'source', 'completions', 'goto', 'restartFrame',
  'stepBack', 'writeMemory', 'disassemble', 'setExpression', 'cancel', 'breakpointLocations', 'loadedSources',
  'noSuchCommand', '', 'constructor', '__proto__', 'toString', 'dispatchRequest', 'pwatch/unknown',
  'pwatch/pauseAll', 'pwatch/addDataBreakpoint', 'pwatch/removeDataBreakpoint', 'pwatch/setDataLogpoints', 'pwatch/addDataLogpoint',
  'pwatch/removeDataLogpoint',
] as const;

const KEYS = [
  'threadId', 'frameId', 'variablesReference', 'name', 'value', 'expression', 'context', 'source', 'path', 'breakpoints',
  'line', 'lines', 'condition', 'hitCondition', 'logMessage', 'dataId', 'accessType', 'memoryReference', 'offset', 'count',
  'startFrame', 'levels', 'start', 'filter', 'bytes', 'asAddress', 'program', 'args', 'cwd', 'env', 'pid', 'gdbPath',
  'terminateDebuggee', 'format', 'singleThread', 'granularity', 'watchSlots', 'stopAtEntry', 'extra', '__proto__',
  'logpoints', 'logpointSlots', 'id', 'address',
];

function text(r: Random): string {
  if (r.chance(0.01)) {
    return 'x'.repeat(20000);
  }
  const alphabet = 'abcxyz_0123456789 ()[]{}*&.->,;:"\'\\\n\t\0$#@!~`=+-/?<>|éü✓';
  const symbols = ['main_ticks', 'worker_ticks', 'argv', 'argc', 'seconds', 'thread', '0x0', '0x8', '-1', 'g/8/main_ticks', 'a/4/0x10'];
  if (r.chance(0.3)) {
    return r.pick(symbols);
  }
  let s = '';
  const length = r.int(40);
  for (let i = 0; i < length; i++) {
    s += alphabet[r.int(alphabet.length)];
  }
  return s;
}

function value(r: Random, depth: number): unknown {
  switch (r.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, 1, -1, 2, 3, 1000, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5, 1000001]);
    case 3:
    case 4:
    case 5:
      return text(r);
    case 6:
      return Array.from({ length: r.int(5) }, () => value(r, depth + 1));
    default:
      return object(r, depth + 1);
  }
}

function object(r: Random, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const count = r.int(6);
  for (let i = 0; i < count; i++) {
    result[r.pick(KEYS)] = value(r, depth);
  }
  return result;
}

function args(r: Random): unknown {
  if (r.chance(0.1)) {
    return undefined;
  }
  if (r.chance(0.05)) {
    return value(r, 3);
  }
  return object(r, 0);
}

async function answered(s: Session, command: string, a: unknown): Promise<'ok' | 'error' | 'crash'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response to ${command} ${JSON.stringify(a)?.slice(0, 200)}`)), 15000);
  });
  try {
    await Promise.race([s.dc.send(command, a), timeout]);
    return 'ok';
  } catch (e) {
    if ((e as Error).message.startsWith('no response to')) {
      throw e;
    }
    // The library answers an exception thrown by a handler with its stack (error 1104): a crash, not an answer.
    return /\n\s+at |\(\/.*:\d+:\d+\)/.test((e as Error).message) ? 'crash' : 'error';
  } finally {
    clearTimeout(timer);
  }
}

suite(`DAP fuzzing: ${REQUESTS} generated requests against a live session`, 'gdb', 30, () => {

  it('answers every request, never crashes, and a normal session works afterwards', async () => {
    console.log(`    seed ${SEED} (PWATCH_FUZZ_SEED=${SEED} repeats this run)`);
    const r = new Random(SEED);
    const counts = { ok: 0, error: 0, crash: 0 };
    const crashes: string[] = [];
    await withSession(async (s) => {
      await s.launchToStop({ program: program('spin'), args: ['120'] }, { [sourceOf('spin')]: [{ line: markerLine('spin', 'spin-main') }] });
      const adapter = adapterPid(s);
      for (let i = 0; i < REQUESTS; i++) {
        const command = r.pick(COMMANDS);
        const a = args(r);
        const outcome = await answered(s, command, a);
        counts[outcome]++;
        if (outcome === 'crash' && crashes.length < 5) {
          crashes.push(`${command} ${JSON.stringify(a)?.slice(0, 120)}`);
        }
      }
      assert.ok(exists(adapter), 'the adapter is alive');
      const threads = await s.dc.threadsRequest();
      assert.ok(Array.isArray(threads.body.threads));
    });
    console.log(`    ${counts.ok} succeeded, ${counts.error} answered with an error, ${counts.crash} crashed a handler`);
    assert.deepStrictEqual(crashes, [], 'no request may throw inside the adapter');
    // Both paths must be exercised, or the generator is not reaching the code it is meant to shake.
    assert.ok(counts.ok > REQUESTS / 100 && counts.error > REQUESTS / 100, JSON.stringify(counts));
    await withSession(async (s) => {
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      await Promise.all([s.configure(), s.dc.launch({ program: program('threads'), args: ['2', '3'] })]);
      assert.strictEqual((await exited).body.exitCode, 3, 'a normal session after the fuzzing');
    });
  });
});
