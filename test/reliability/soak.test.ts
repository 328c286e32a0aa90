import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { program, requireWatchpoints, Session, TIMEOUT } from '../integration/harness';
import { adapterPid, fdCount, perfEventCount } from './processes';

/** 500 cycles in npm test; `npm run soak` sets PWATCH_SOAK_CYCLES=10000. */
const CYCLES = Number(process.env.PWATCH_SOAK_CYCLES ?? 500);

describe(`soak: ${CYCLES} arm/disarm cycles in one session`, function () {
  this.timeout(Math.max(TIMEOUT * 3, CYCLES * 100));
  before(function () {
    requireWatchpoints(this);
  });

  it('reports every write made while armed, and ends with the same fds and perf events', async () => {
    const s = await new Session().start();
    try {
      const adapter = adapterPid(s);
      const stopped = await s.launchToStop({ program: program('soak'), stopAtEntry: true });
      const fds = fdCount(adapter);
      const events = perfEventCount(adapter);
      const info = await s.dc.dataBreakpointInfoRequest({ name: 'soak_value' });
      const breakpoint: DebugProtocol.DataBreakpoint = { dataId: info.body.dataId!, accessType: 'write' };
      let expected = 1;
      let threadId = stopped.body.threadId!;
      const started = Date.now();
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const [armed] = (await s.dc.setDataBreakpointsRequest({ breakpoints: [breakpoint] })).body.breakpoints;
        assert.strictEqual(armed.verified, true, armed.message);
        const hit = await s.continueToStop(threadId);
        assert.strictEqual(hit.body.text, `soak_value: ${expected - 1} → ${expected}`, `cycle ${cycle}`);
        threadId = hit.body.threadId!;
        expected++;
        await s.dc.setDataBreakpointsRequest({ breakpoints: [] });
      }
      const elapsed = Date.now() - started;
      console.log(`    ${CYCLES} cycles in ${elapsed} ms (${((elapsed / CYCLES) * 1000).toFixed(0)} µs per arm + hit + disarm)`);
      assert.strictEqual(fdCount(adapter), fds, 'open fds');
      assert.strictEqual(perfEventCount(adapter), events, 'perf events (the slots)');
    } finally {
      await s.close();
    }
  });
});
