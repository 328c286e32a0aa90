/**
 * Detach is exact: attached to a 64-thread program that keeps the adapter busy (a line logpoint hit
 * thousands of times a second, each one a stop and a silent resume), `disconnect` with terminateDebuggee
 * false must leave the program running and untraced, every time. The interrupt that stops the program before
 * detaching once stayed queued while an earlier stop was taken for its answer, and the program then died of
 * that SIGINT after the detach.
 * PWATCH_DETACH_TRIES sets the tries per mode (README's count: 100).
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { hardwareVerdict } from '../machine';
import { markerLine, processStatus, Session, sourceOf, startProgram, suite } from '../integration/harness';
import { exists, holds } from './processes';

const TRIES = Number(process.env.PWATCH_DETACH_TRIES ?? 5);

async function detachUnderLoad(stopMode: 'all' | 'thread'): Promise<void> {
  const { child, pid } = await startProgram('busy', ['64', '120'], /busy: pid \d+/);
  const s = await new Session().start();
  try {
    const line = markerLine('busy', 'busy-tick');
    await Promise.all([
      s.configure({ [sourceOf('busy')]: [{ line, logMessage: 'tick' }] }),
      s.dc.attachRequest({ pid, stopMode } as DebugProtocol.AttachRequestArguments),
    ]);
    if (hardwareVerdict().run) {
      // A data breakpoint whose condition is never true: every write is a trap and a silent resume too.
      const info = await s.dc.dataBreakpointInfoRequest({ name: 'ticks[0]' });
      await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write', condition: '0' }] });
    }
    await s.waitForOutput('console', /tick\n(.|\n)*tick\n(.|\n)*tick\n/);
    await s.dc.disconnectRequest({ terminateDebuggee: false });
    // Dead of a stray SIGINT or SIGTRAP, or left stopped (T), within a second of the detach: harmed.
    await holds(() => exists(pid) && processStatus(pid).state !== 'T', `program ${pid} runs on after the detach`, 1000);
    assert.strictEqual(processStatus(pid).tracerPid, 0, 'nobody traces it');
  } finally {
    child.kill('SIGKILL');
    s.stopAdapter();
  }
}

suite('detach under load', 'gdb', 4 * TRIES, () => {
  for (const stopMode of ['all', 'thread'] as const) {
    it(`leaves a 64-thread program running untraced, ${TRIES} of ${TRIES} times (stopMode ${stopMode})`, async () => {
      for (let i = 0; i < TRIES; i++) {
        await detachUnderLoad(stopMode);
      }
    });
  }
});
