import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, Session, sourceOf, suite, withSession } from './harness';

const lines = (...markers: string[]) => ({ [sourceOf('family')]: markers.map((marker) => ({ line: markerLine('family', marker) })) });

async function pidOfThread(s: Session, threadId: number): Promise<number> {
  const thread = (await s.dc.threadsRequest()).body.threads.find((t) => t.id === threadId);
  return Number(/tid (\d+)/.exec(thread?.name ?? '')?.[1]);
}

suite('forks', 'gdb', 3, () => {
  it('detachOnFork false: both processes are debugged, the child\'s breakpoints hit, each exit is told', async () => {
    await withSession(async (s) => {
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      let stop = await s.launchToStop({ program: program('family'), detachOnFork: false }, lines('family-child', 'family-parent'));
      const seen: string[] = [];
      for (let i = 0; i < 2; i++) {
        const top = await s.topFrame(stop.body.threadId!);
        seen.push(`${top.line === markerLine('family', 'family-child') ? 'child' : 'parent'}`);
        stop = i === 0 ? await s.continueToStop(stop.body.threadId!) : stop;
      }
      assert.deepStrictEqual(seen, ['child', 'parent']);
      // gdb may report the child's exit before the parent's stop or only after it resumes: both are seen by the end.
      await s.dc.continueRequest({ threadId: stop.body.threadId! });
      assert.strictEqual((await exited).body.exitCode, 0, "the launched program's exit code");
      assert.match(s.output('console'), /the program forked: process \d+ is debugged too/);
      assert.match(s.output('console'), /process \d+ exited with code 7; the others go on/);
    });
  });

  it('followFork child: the child is debugged (its thread too), the parent runs on untraced', async () => {
    await withSession(async (s) => {
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      const stop = await s.launchToStop({ program: program('family'), followFork: 'child' }, lines('family-child-worker', 'family-parent'));
      assert.strictEqual((await s.topFrame(stop.body.threadId!)).name, 'child_worker');
      const childPid = await pidOfThread(s, stop.body.threadId!);
      const parentPid = Number(/family: parent (\d+)/.exec(await s.waitForOutput('stdout', /family: parent \d+/))![1]);
      assert.notStrictEqual(childPid, parentPid);
      await s.dc.continueRequest({ threadId: stop.body.threadId! });
      // The parent's breakpoint never hits: it was left at the fork; it sees its child exit 7 and ends.
      await s.waitForOutput('stdout', /family: child exited 7/);
      assert.strictEqual((await exited).body.exitCode, 7, "the followed child's exit code");
      assert.match(s.output('console'), /process \d+ was left/);
    });
  });
});
