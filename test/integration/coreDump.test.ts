import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, Session, sourceOf, startProgram, suite, withSession } from './harness';

/**
 * A real core of test-workspace's `crash` (five threads, one dies of SIGSEGV): the kernel's when core_pattern
 * writes a file in the current directory, else one gdb writes at the same fault (`generate-core-file`).
 */
function makeCore(dir: string): { core: string; pid: number; madeBy: string } {
  const run = spawnSync(program('crash'), [], { cwd: dir, encoding: 'utf8', timeout: 20000 });
  const pid = Number(/crash: pid (\d+)/.exec(run.stdout)?.[1]);
  assert.strictEqual(run.signal, 'SIGSEGV', `crash must die of SIGSEGV: ${run.signal} ${run.status} ${run.stderr}`);
  const kernels = fs.readdirSync(dir).filter((f) => f === 'core' || f.startsWith('core.'));
  if (kernels.length === 1) {
    return { core: path.join(dir, kernels[0]), pid, madeBy: 'the kernel' };
  }
  const core = path.join(dir, 'gdb core');
  const gdb = spawnSync('gdb', ['-nx', '-batch', '-ex', 'run', '-ex', `generate-core-file ${core}`, program('crash')], { cwd: dir, encoding: 'utf8', timeout: 60000 });
  assert.ok(fs.existsSync(core), `gdb made no core: ${gdb.stdout} ${gdb.stderr}`);
  const gdbPid = Number(/crash: pid (\d+)/.exec(gdb.stdout)?.[1]);
  return { core, pid: gdbPid, madeBy: 'gdb' };
}

suite('core dumps', 'gdb', 3, () => {
  let dir = '';
  let dump: ReturnType<typeof makeCore>;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch core '));
    dump = makeCore(dir);
    console.log(`      core of crash (pid ${dump.pid}) made by ${dump.madeBy}: ${dump.core}`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function openDump(s: Session): Promise<DebugProtocol.StoppedEvent> {
    return s.launchToStop({ program: program('crash'), coreDumpPath: dump.core });
  }

  it('shows every thread of the dump, the faulting one stopped by its signal with stack, variables, memory and code', async () => {
    await withSession(async (s) => {
      const stopped = await openDump(s);
      assert.strictEqual(stopped.body.reason, 'exception');
      assert.strictEqual(stopped.body.description, 'Killed by SIGSEGV');
      assert.match(stopped.body.text ?? '', /killed by SIGSEGV \(Segmentation fault\) at address 0x0\b/);
      assert.strictEqual(stopped.body.allThreadsStopped, true);
      const threads = (await s.dc.threadsRequest()).body.threads;
      assert.strictEqual(threads.length, 5, `main and 4 workers: ${JSON.stringify(threads)}`);
      assert.ok(threads.every((t) => new RegExp(`tid \\d+`).test(t.name)), JSON.stringify(threads));

      const top = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(top.name, 'worker');
      assert.strictEqual(top.line, markerLine('crash', 'crash-fault'));
      assert.ok(top.instructionPointerReference, 'frames point at their instruction');
      const locals = await s.localsOf(top.id);
      assert.strictEqual(locals.find((v) => v.name === 'doomed')?.value, '102');
      assert.strictEqual(locals.find((v) => v.name === 'index')?.value, '2');

      assert.strictEqual((await s.dc.evaluateRequest({ expression: 'ledger[3]', context: 'watch', frameId: top.id })).body.result, '103');
      const ledger = await s.dc.evaluateRequest({ expression: '&ledger[0]', context: 'watch', frameId: top.id });
      const memory = (await s.dc.customRequest('readMemory', { memoryReference: ledger.body.memoryReference!, count: 16 })).body as DebugProtocol.ReadMemoryResponse['body'];
      assert.deepStrictEqual([...Buffer.from(memory!.data!, 'base64')].filter((_, i) => i % 4 === 0), [100, 101, 102, 103]);

      const code = (await s.dc.customRequest('disassemble', { memoryReference: top.instructionPointerReference, instructionCount: 4 })).body as DebugProtocol.DisassembleResponse['body'];
      assert.strictEqual(BigInt(code!.instructions[0].address), BigInt(top.instructionPointerReference!));
      assert.ok(code!.instructions[0].instruction.startsWith('mov'), `the faulting store: ${code!.instructions[0].instruction}`);

      // The other threads are where the dump caught them (main in the barrier or joining, workers in pause()).
      const main = threads.find((t) => t.name.includes(`tid ${dump.pid})`));
      assert.ok(main, `the main thread has the dumped pid ${dump.pid}: ${JSON.stringify(threads)}`);
      const mainStack = await s.dc.stackTraceRequest({ threadId: main.id, startFrame: 0, levels: 20 });
      assert.ok(mainStack.body.stackFrames.some((f) => f.name === 'main' && f.source?.path?.endsWith('crash.c')), JSON.stringify(mainStack.body.stackFrames.map((f) => f.name)));
    });
  });

  it('refuses to run, step, pause, write or watch, saying it is a core dump, and ends cleanly', async () => {
    await withSession(async (s) => {
      const stopped = await openDump(s);
      const threadId = stopped.body.threadId!;
      const refused = /not possible: this session examines a core dump: the program is not running and cannot run/;
      await assert.rejects(s.dc.continueRequest({ threadId }), refused);
      await assert.rejects(s.dc.nextRequest({ threadId }), refused);
      await assert.rejects(s.dc.stepInRequest({ threadId }), refused);
      await assert.rejects(s.dc.pauseRequest({ threadId }), refused);
      await assert.rejects(s.dc.customRequest('writeMemory', { memoryReference: '0x1000', data: 'AA==' }), refused);
      const top = await s.topFrame(threadId);
      const info = await s.dc.dataBreakpointInfoRequest({ name: 'ledger', frameId: top.id });
      assert.strictEqual(info.body.dataId, null);
      assert.match(info.body.description, /core dump/);
      const set = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'g/4/ledger', accessType: 'write' }] });
      assert.strictEqual(set.body.breakpoints[0].verified, false);
      assert.match(set.body.breakpoints[0].message ?? '', /data breakpoints are not possible: this session examines a core dump/);
      await assert.rejects(s.dc.evaluateRequest({ expression: '-exec run', context: 'repl' }), /'run' is not possible: this session examines a core dump/);
      const kept = await s.dc.setBreakpointsRequest({ source: { path: sourceOf('crash') }, breakpoints: [{ line: markerLine('crash', 'crash-join') }] });
      assert.strictEqual(kept.body.breakpoints[0].verified, false);
      assert.match(kept.body.breakpoints[0].message ?? '', /core dump: .*: breakpoints never hit here/);
      // Still readable after the refusals.
      assert.strictEqual((await s.localsOf(top.id)).find((v) => v.name === 'doomed')?.value, '102');
      const terminated = s.dc.waitForEvent('terminated');
      await s.dc.terminateRequest({});
      await terminated;
    });
  });

  it('names a missing core file, and a file that is not a core', async () => {
    await withSession(async (s) => {
      await s.dc.initializeRequest();
      await assert.rejects(s.dc.launch({ program: program('crash'), coreDumpPath: path.join(dir, 'no such core') } as DebugProtocol.LaunchRequestArguments), /'coreDumpPath' ".*no such core" does not exist: it must name the core file the program left/);
    });
    await withSession(async (s) => {
      // gdb trims its command line: "core " would open "core" beside it.
      const spaced = `${dump.core} `;
      fs.copyFileSync(dump.core, spaced);
      await s.dc.initializeRequest();
      await assert.rejects(s.dc.launch({ program: program('crash'), coreDumpPath: spaced } as DebugProtocol.LaunchRequestArguments), /ends in white space, which gdb drops: rename the file/);
    });
    await withSession(async (s) => {
      await s.dc.initializeRequest();
      await assert.rejects(
        s.dc.launch({ program: program('crash'), coreDumpPath: program('crash') } as DebugProtocol.LaunchRequestArguments),
        /gdb could not open the core file '.*crash': .*is it a core file of/,
      );
    });
  });

  it('a core taken from a running program (gcore) is not reported as a kill', async () => {
    const { child, pid } = await startProgram('spin', ['60'], /spin: pid \d+/);
    try {
      const core = path.join(dir, 'live');
      const gcore = spawnSync('gcore', ['-o', core, String(pid)], { encoding: 'utf8', timeout: 60000 });
      assert.strictEqual(gcore.status, 0, gcore.stderr);
      await withSession(async (s) => {
        const stopped = await s.launchToStop({ program: program('spin'), coreDumpPath: `${core}.${pid}` });
        assert.strictEqual(stopped.body.description, 'Core dump');
        assert.match(stopped.body.text ?? '', /taken from the running program .*stopped, not killed/);
      });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
