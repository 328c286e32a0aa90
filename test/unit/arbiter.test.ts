/**
 * The stop arbiter's decision table: each row a stop the runtime can see, with what the engines answer, and
 * the decision it must get. The engines are fakes behind the arbiter's ports; nothing runs.
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { HitDecision } from '../../adapter/breakpoints/breakpointTable';
import { GdbStop } from '../../adapter/gdb/events';
import { decideStop, HuntPort, StopDecision, StopPorts, StopState, WatchPort } from '../../adapter/stops/arbiter';
import { RunState } from '../../adapter/stops/runState';
import { DataHit, TrapOwner } from '../../adapter/watch/dataBreakpoints';

const WRITER = 3;

function hit(threadId = WRITER, text = 'g: 1 → 2'): DataHit {
  return {
    id: 1_000_000,
    tid: 4000 + threadId,
    threadId,
    description: `Data breakpoint: ${text}`,
    text,
    hit: { id: 1_000_000, name: 'g', accessType: 'write', tid: 4000 + threadId, threadId },
  };
}

interface Fakes {
  hunt?: HuntPort;
  owner?: TrapOwner;
  hits?: DataHit[];
  breakpoint?: HitDecision;
  scopeExit?: { id: number; message: string };
  catchpoint?: boolean;
  /** What the kernel says of a SIGINT's sender: the debugger (gdb's interrupt) or not. */
  debuggerInterrupt?: boolean;
  /** The step under way (of thread 2), and whether it has moved its thread yet. */
  stepUnmoved?: boolean;
  stepRetries?: number;
}

function ports(fakes: Fakes, sent: DebugProtocol.Event[] = [], recorded: DataHit[] = []): StopPorts {
  const queue = [...(fakes.hits ?? [])];
  const watch: WatchPort = {
    collect: () => queue.length > 0,
    tidOf: async (threadId) => 4000 + threadId,
    ownerOfTrap: async () => fakes.owner ?? 'pwatch',
    nextHit: async () => queue.shift(),
    onScopeExit: async () => fakes.scopeExit,
  };
  return {
    watch,
    hunt: fakes.hunt,
    breakpoints: { onHit: () => fakes.breakpoint },
    exceptions: {
      isCatchpoint: () => fakes.catchpoint === true,
      describe: async () => ({ when: 'throw', typeName: 'std::runtime_error', message: 'audit failed' }) as never,
    },
    renderLog: async () => 'log line',
    isDebuggerInterrupt: async () => fakes.debuggerInterrupt === true,
    stepUnderWay: () => (fakes.stepUnmoved === undefined ? undefined : { threadId: 2, unmoved: async () => fakes.stepUnmoved === true, retries: fakes.stepRetries ?? 0 }),
    send: (event) => sent.push(event),
    recordHit: (h) => recorded.push(h),
  };
}

function state(changes: Partial<StopState> = {}, runState = new RunState(false)): StopState {
  return { runState, nonStop: false, entryPending: false, interruptedForAccesses: false, forkCatchpoints: [], ...changes };
}

const sigtrap: GdbStop = { reason: 'signal-received', signalName: 'SIGTRAP', threadId: WRITER, allStopped: true, frame: { addr: '0x401136' } as GdbStop['frame'] };
const sigint: GdbStop = { reason: 'signal-received', signalName: 'SIGINT', threadId: 1, allStopped: true };
const breakpointHit: GdbStop = { reason: 'breakpoint-hit', breakpointNumber: 2, threadId: 1, allStopped: true };
const stepEnd: GdbStop = { reason: 'end-stepping-range', threadId: 1, allStopped: true };
const queued: GdbStop = { reason: 'unknown', threadId: 1, allStopped: true, queuedAccesses: true };

function reported(decision: StopDecision): Extract<StopDecision, { action: 'report' }> {
  assert.strictEqual(decision.action, 'report', JSON.stringify(decision));
  return decision as Extract<StopDecision, { action: 'report' }>;
}

/** A race hunt that owns the trap of thread WRITER at 0x401136 and breakpoint 7, and answers `answer` (mayHold logged). */
function huntOf(answer: 'hold' | 'resume', asked: boolean[] = []): HuntPort {
  return {
    hasTrap: (tid, pc) => tid === 4000 + WRITER && pc === 0x401136n,
    ownsBreakpoint: (number) => number === 7,
    onTrap: async (_threadId, _tid, _pc, mayHold) => (asked.push(mayHold), mayHold ? answer : 'resume'),
    onCodeSample: async (_threadId, _number, mayHold) => (asked.push(mayHold), mayHold ? answer : 'resume'),
    isExecCatch: (number) => number === 9,
    heldThreads: () => [],
    onExec: async () => void asked.push(false),
  };
}

describe('the stop arbiter', () => {
  it('a source breakpoint is reported as one, with its id', async () => {
    const decision = reported(await decideStop(breakpointHit, state(), ports({ breakpoint: { action: 'stop', kind: 'source' } })));
    assert.deepStrictEqual([decision.stop.reason, decision.threadId, decision.hitBreakpointIds], ['breakpoint', 1, [2]]);
  });

  it("a data breakpoint trap is reported in the writer's thread, its hit recorded first", async () => {
    const recorded: DataHit[] = [];
    const decision = reported(await decideStop(sigtrap, state(), ports({ hits: [hit()] }, [], recorded)));
    assert.deepStrictEqual([decision.stop.reason, decision.stop.text, decision.threadId, decision.hitBreakpointIds], ['data breakpoint', 'g: 1 → 2', WRITER, [1_000_000]]);
    assert.strictEqual(recorded.length, 1);
    assert.strictEqual(decision.deferred, undefined, 'the trap was the stop: nothing to report later');
  });

  it('a trap whose access is filtered (same value, unmet condition) resumes silently', async () => {
    assert.deepStrictEqual(await decideStop(sigtrap, state(), ports({ hits: [] })), { action: 'resume' });
  });

  it("a racing writer's queued access is its own stop, in its thread; none queued means resume", async () => {
    const decision = reported(await decideStop(queued, state(), ports({ hits: [hit(5, 'g: 2 → 7')] })));
    assert.deepStrictEqual([decision.threadId, decision.stop.text], [5, 'g: 2 → 7']);
    assert.deepStrictEqual(await decideStop(queued, state(), ports({})), { action: 'resume' });
  });

  it('a write made during a step ends the step as a data breakpoint stop, saying so', async () => {
    const decision = reported(await decideStop(stepEnd, state(), ports({ hits: [hit(1)] })));
    assert.strictEqual(decision.stop.reason, 'data breakpoint');
    assert.match(decision.stop.description ?? '', /made during the step/);
    assert.strictEqual(decision.deferred, undefined);
  });

  it('a breakpoint stop that a queued access went before is reported at the next continue', async () => {
    const decision = reported(await decideStop(breakpointHit, state(), ports({ hits: [hit()], breakpoint: { action: 'stop', kind: 'source' } })));
    assert.strictEqual(decision.stop.reason, 'data breakpoint');
    assert.strictEqual(decision.deferred, breakpointHit);
  });

  it("the program's own SIGTRAP is delivered to it", async () => {
    const sent: DebugProtocol.Event[] = [];
    assert.deepStrictEqual(await decideStop(sigtrap, state(), ports({ owner: 'program' }, sent)), { action: 'deliver', signal: 'SIGTRAP', threadId: WRITER });
    assert.match(JSON.stringify(sent), /of the program's own/);
  });

  it("SIGINT after a pause is the pause; without one it is the program's, delivered on resume", async () => {
    const paused = new RunState(false);
    paused.pauseAsked(undefined);
    assert.strictEqual(reported(await decideStop(sigint, state({}, paused), ports({}))).stop.reason, 'pause');
    const own = reported(await decideStop(sigint, state(), ports({})));
    assert.deepStrictEqual([own.stop.reason, own.programSigint], ['signal', 1]);
  });

  it("pwatch's own interrupt (for accesses whose signal never came) is silent when nothing is to report", async () => {
    assert.deepStrictEqual(await decideStop(sigint, state({ interruptedForAccesses: true }), ports({})), { action: 'resume' });
    assert.strictEqual(reported(await decideStop(sigint, state({ interruptedForAccesses: true }), ports({ hits: [hit()] }))).stop.reason, 'data breakpoint');
  });

  it("gdb's interrupt left over from a stop that overtook it is silent, never the program's; a pause or a step still ends there", async () => {
    assert.deepStrictEqual(await decideStop(sigint, state(), ports({ debuggerInterrupt: true })), { action: 'resume' });
    // Accesses queued meanwhile are judged at it, but it is no stop of its own to report after them.
    const withHit = reported(await decideStop(sigint, state(), ports({ debuggerInterrupt: true, hits: [hit()] })));
    assert.deepStrictEqual([withHit.stop.reason, withHit.deferred, withHit.programSigint], ['data breakpoint', undefined, undefined]);
    const paused = new RunState(false);
    paused.pauseAsked(undefined);
    assert.strictEqual(reported(await decideStop(sigint, state({}, paused), ports({ debuggerInterrupt: true }))).stop.reason, 'pause');
    const stepping = new RunState(false);
    stepping.stepAsked(1);
    assert.strictEqual(reported(await decideStop(sigint, state({}, stepping), ports({ debuggerInterrupt: true }))).stop.reason, 'step');
    // Before the step moved its thread, the step is taken again instead of ending where it began; after, it ends
    // in the stepping thread, not in the one that took the signal.
    assert.deepStrictEqual(await decideStop(sigint, state({}, stepping), ports({ debuggerInterrupt: true, stepUnmoved: true })), { action: 'retryStep' });
    const moved = reported(await decideStop(sigint, state({}, stepping), ports({ debuggerInterrupt: true, stepUnmoved: false })));
    assert.deepStrictEqual([moved.stop.reason, moved.threadId], ['step', 2]);
    // Taken again from its breakpoint, the step first hits that breakpoint (gdb forgot the thread sat on it): once
    // more; a step already taken again three times ends.
    const onBreakpoint: GdbStop = { ...breakpointHit, threadId: 2 };
    const steppingTwo = new RunState(false);
    steppingTwo.stepAsked(2);
    assert.deepStrictEqual(await decideStop(onBreakpoint, state({}, steppingTwo), ports({ stepUnmoved: true, stepRetries: 1 })), { action: 'retryStep' });
    assert.strictEqual(reported(await decideStop(onBreakpoint, state({}, steppingTwo), ports({ stepUnmoved: true, stepRetries: 0, breakpoint: { action: 'stop', kind: 'source' } }))).stop.reason, 'breakpoint');
    assert.strictEqual(reported(await decideStop(sigint, state({}, stepping), ports({ debuggerInterrupt: true, stepUnmoved: true, stepRetries: 3 }))).stop.reason, 'step');
  });

  it("pwatch's SIGSTOP (its pause where gdb's SIGINT would miss) is a pause when asked, silent when left over, shown when someone else's", async () => {
    const sigstop: GdbStop = { ...sigint, signalName: 'SIGSTOP' };
    const paused = new RunState(false);
    paused.pauseAsked(undefined);
    assert.strictEqual(reported(await decideStop(sigstop, state({}, paused), ports({ debuggerInterrupt: true }))).stop.reason, 'pause');
    assert.deepStrictEqual(await decideStop(sigstop, state(), ports({ debuggerInterrupt: true })), { action: 'resume' });
    const foreign = reported(await decideStop(sigstop, state(), ports({ debuggerInterrupt: false })));
    assert.deepStrictEqual([foreign.stop.reason, foreign.programSigint], ['signal', undefined]);
  });

  it('a logpoint logs and resumes; an unmet condition resumes', async () => {
    const sent: DebugProtocol.Event[] = [];
    assert.deepStrictEqual(await decideStop(breakpointHit, state(), ports({ breakpoint: { action: 'log', parts: [{ text: 'x' }] } }, sent)), { action: 'resume' });
    assert.match(JSON.stringify(sent), /log line/);
    assert.deepStrictEqual(await decideStop(breakpointHit, state(), ports({ breakpoint: { action: 'resume' } })), { action: 'resume' });
  });

  it('a silent resume while a pause is pending is the pause; while stepping, the end of the step', async () => {
    const pausing = new RunState(false);
    pausing.pauseAsked(undefined);
    assert.strictEqual(reported(await decideStop(sigtrap, state({}, pausing), ports({}))).stop.reason, 'pause');
    const stepping = new RunState(false);
    stepping.stepAsked(1);
    assert.strictEqual(reported(await decideStop({ ...sigtrap, threadId: 1 }, state({}, stepping), ports({}))).stop.reason, 'step');
  });

  it("a local's scope guard removes its data breakpoint and resumes", async () => {
    const sent: DebugProtocol.Event[] = [];
    const decision = await decideStop(breakpointHit, state(), ports({ scopeExit: { id: 1_000_001, message: 'removed: the frame of x returned' } }, sent));
    assert.deepStrictEqual(decision, { action: 'resume' });
    assert.match(JSON.stringify(sent), /"changed".*1000001/);
  });

  it('a fork catchpoint (followFork child) leaves the parent, then resumes', async () => {
    const fork: GdbStop = { reason: 'breakpoint-hit', breakpointNumber: 7, threadId: 1, allStopped: true };
    assert.deepStrictEqual(await decideStop(fork, state({ forkCatchpoints: [7] }), ports({})), { action: 'leaveParent', then: { action: 'resume' } });
  });

  it('a C++ throw is an exception stop naming the type and message', async () => {
    const decision = reported(await decideStop(breakpointHit, state(), ports({ catchpoint: true })));
    assert.deepStrictEqual([decision.stop.reason, decision.stop.text], ['exception', 'std::runtime_error: audit failed']);
  });

  it('non-stop: only the stopped thread may be judged', async () => {
    const asked: number[] = [];
    const p = ports({});
    p.watch!.nextHit = async (judgeable) => {
      asked.push(...[4003, 4005].filter(judgeable));
      return undefined;
    };
    await decideStop(sigtrap, state({ nonStop: true }), p);
    assert.deepStrictEqual(asked, [4003], 'thread 3 (tid 4003) stopped; tid 4005 runs on');
    asked.length = 0;
    await decideStop(sigtrap, state({ nonStop: false }), p);
    assert.deepStrictEqual(asked, [4003, 4005]);
  });
  it("a race hunt's trap is held for its window, reported nowhere", async () => {
    const sent: DebugProtocol.Event[] = [];
    const decision = await decideStop({ ...sigtrap, allStopped: false }, state({ nonStop: true }, new RunState(true)), ports({ hunt: huntOf('hold'), owner: 'program' }, sent));
    assert.deepStrictEqual([decision, sent.length], [{ action: 'hold' }, 0]);
  });

  it("a race hunt's trap in a thread the user is stepping is never held: the step ends there", async () => {
    const runState = new RunState(true);
    runState.stepAsked(WRITER);
    const asked: boolean[] = [];
    const decision = reported(await decideStop({ ...sigtrap, allStopped: false }, state({ nonStop: true }, runState), ports({ hunt: huntOf('hold', asked) })));
    assert.deepStrictEqual([decision.stop.reason, asked], ['step', [false]]);
  });

  it("a race hunt's code sample breakpoint is the hunt's, not a user breakpoint", async () => {
    const decision = await decideStop({ ...breakpointHit, breakpointNumber: 7, allStopped: false }, state({ nonStop: true }, new RunState(true)), ports({ hunt: huntOf('hold'), breakpoint: { action: 'stop', kind: 'source' } }));
    assert.deepStrictEqual(decision, { action: 'hold' });
  });

  it("the hunt's exec catchpoint ends the hunt and resumes the program, shown to no one", async () => {
    const asked: boolean[] = [];
    const execStop: GdbStop = { reason: 'unknown', breakpointNumber: 9, threadId: 1, allStopped: false };
    const decision = await decideStop(execStop, state({ nonStop: true }, new RunState(true)), ports({ hunt: huntOf('hold', asked) }));
    assert.deepStrictEqual([decision, asked], [{ action: 'resume' }, [false]]);
  });

  it("gdb's own stop of a thread in non-stop mode (signal 0, after attaching) resumes it; a pause asked is reported", async () => {
    const own: GdbStop = { reason: 'signal-received', signalName: '0', threadId: 2, allStopped: false };
    assert.deepStrictEqual(await decideStop(own, state({ nonStop: true }, new RunState(true)), ports({})), { action: 'resume' });
    const runState = new RunState(true);
    runState.pauseAsked(2);
    assert.strictEqual(reported(await decideStop(own, state({ nonStop: true }, runState), ports({}))).stop.reason, 'pause');
  });

  it("tells whether a stop was reported since a mark: the thread's own, or one of every thread", () => {
    const runState = new RunState(true);
    runState.stopReported(1, true, true); // the entry stop, every thread
    const mark = runState.mark();
    runState.onRunning(1);
    assert.deepStrictEqual([runState.reportedSince(1, mark), runState.reportedSince(2, mark)], [false, false]);
    runState.stopReported(2, false, false);
    assert.deepStrictEqual([runState.reportedSince(1, mark), runState.reportedSince(2, mark)], [false, true]);
    runState.stopReported(3, true, false);
    assert.strictEqual(runState.reportedSince(1, mark), true);
  });
});
