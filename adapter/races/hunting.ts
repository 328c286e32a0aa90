/**
 * pwatch/huntRaces and pwatch/stopHunt: one race hunt at a time, from its request to its end (its duration, a stop
 * request, the editor's cancel of its progress, the program's exit), where the request is answered. The hunt itself
 * decides in raceHunt.ts; this module resolves targets, lends it debug registers, keeps its clock and reports its end.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { OutputEvent } from '@vscode/debugadapter';
import { MiSender } from '../gdb/connection';
import { UserError } from '../launch/userError';
import { ProgressReporter, ProgressTask } from '../protocol/progress';
import { HuntEndEventBody, HuntRacesArgs, PwatchRequestName, PwatchRequests, pwatchEvent } from '../protocol/pwatchProtocol';
import { VariableStore } from '../variables/variableStore';
import { AccessEffects } from '../watch/accessEffects';
import { DataBreakpoints } from '../watch/dataBreakpoints';
import { dataIdFor } from '../watch/editorRequests';
import { splitRange } from '../watch/ranges';
import { resolveTarget, targetName } from '../watch/target';
import { CodeSampler, programInstructions } from './codeSampling';
import { HuntTarget, RaceHunt } from './raceHunt';

export const HUNT_REQUESTS = ['pwatch/huntRaces', 'pwatch/stopHunt'] as const satisfies readonly PwatchRequestName[];
export type HuntRequest = (typeof HUNT_REQUESTS)[number];
type HuntResult = PwatchRequests['pwatch/huntRaces']['body'];

export interface HuntContext {
  gdb: MiSender;
  pid: number | undefined;
  variables: VariableStore;
  nonStop: boolean;
  watch: DataBreakpoints | Error;
  isRunning(): boolean;
  /** The program and its session are still there. */
  isAlive(): boolean;
  /** gdb's console notices: the hunt's code sample stops are kept out of the Debug Console. */
  notices: { quietBreakpoint: (number: number) => boolean };
}

const DEFAULT_DURATION_MS = 10_000;
/** More targets than the x86 debug registers can never be watched at once: refused before gdb resolves them. */
const MAX_TARGETS = 4;
const DEFAULT_STALL_MS = 10;
const TICK_MS = 100;

interface Running {
  hunt: RaceHunt;
  finish(reason: HuntEndEventBody['reason']): Promise<void>;
}

export class Hunting {
  private current: Running | undefined;
  /** The hunt that ended last: a stop of its code samples or watch may still arrive (it resumes it). */
  private last: RaceHunt | undefined;
  private closed = false;
  /** A hunt asked and not yet running (its targets resolving, its registers lent): how it must end once it runs. */
  private starting: { end?: HuntEndEventBody['reason'] } | undefined;

  constructor(
    private readonly send: (event: DebugProtocol.Event) => void,
    private readonly progress: ProgressReporter,
    /** The user's stops: a mark now, and whether this thread was shown stopped since a mark or is being paused. */
    private readonly userStops: { mark(): number; holds(threadId: number, mark: number): boolean; handOver(threadId: number): void },
  ) {}

  /** The hunt under way, for the stop arbiter. */
  get hunt(): RaceHunt | undefined {
    return this.current?.hunt ?? this.last;
  }

  async request(command: HuntRequest, args: unknown, context: HuntContext): Promise<unknown> {
    if (command === 'pwatch/stopHunt') {
      if (this.starting) {
        this.starting.end ??= 'stopped'; // it ends as soon as it runs, its request answered
      } else if (this.current) {
        await this.current.finish('stopped');
      } else {
        throw new UserError('no race hunt is running');
      }
      return undefined;
    }
    if (this.current || this.starting) {
      throw new UserError('a race hunt is already running: stop it first (pwatch/stopHunt)');
    }
    const starting = (this.starting = {});
    try {
      return await this.huntRaces((args ?? {}) as HuntRacesArgs, context, starting);
    } finally {
      if (this.starting === starting) {
        this.starting = undefined; // it failed to start
      }
    }
  }

  /** The program exited or the session ends: the hunt ends (its request is answered), and so does one still starting. */
  async close(): Promise<void> {
    this.closed = true;
    await this.current?.finish('exited');
  }

  /** Ends the hunt under way, as pwatch/stopHunt would, and the session goes on (gdb leaves to observe). */
  async stopCurrent(): Promise<void> {
    if (this.starting) {
      this.starting.end ??= 'stopped';
    }
    await this.current?.finish('stopped');
  }

  private async huntRaces(args: HuntRacesArgs, context: HuntContext, starting: { end?: HuntEndEventBody['reason'] }): Promise<HuntResult> {
    if (this.closed) {
      throw new UserError('the session is ending');
    }
    if (!context.nonStop) {
      throw new UserError('a race hunt holds one thread while the others run, which needs "stopMode": "thread" in the launch configuration (this session stops every thread at once)');
    }
    const watch = context.watch;
    if (watch instanceof Error) {
      throw new UserError(watch.message.replace('data breakpoints', 'race hunts'));
    }
    if (context.pid === undefined) {
      throw new UserError('the program is not running');
    }
    const durationMs = whole(args.durationMs, DEFAULT_DURATION_MS, 100, 24 * 3600_000, 'durationMs');
    const stallMs = whole(args.stallMs, DEFAULT_STALL_MS, 1, 1000, 'stallMs');
    if (args.targets !== undefined && (!Array.isArray(args.targets) || args.targets.length === 0)) {
      throw new UserError(`'targets' must be a non-empty list of { expression } or { address, bytes }, not ${JSON.stringify(args.targets).slice(0, 80)}; leave it out to hunt in the whole program`);
    }
    if (args.targets && args.targets.length > MAX_TARGETS) {
      throw new UserError(`${args.targets.length} targets: a hunt watches at most ${MAX_TARGETS} (one debug register per aligned 8-byte piece)`);
    }
    const targets = args.targets ? await this.resolve(args.targets, context, watch) : undefined;
    const candidates = targets ? undefined : programInstructions(context.pid);
    if (typeof candidates === 'string') {
      throw new UserError(`the whole program cannot be sampled: ${candidates}`);
    }
    // The loan hands samples to the hunt, which needs the loan to be built: it is told where to send them after.
    const receiver: { hunt?: RaceHunt } = {};
    const loan = watch.lend(targets?.length ?? 1, (sample) => receiver.hunt?.accept(sample));
    if (typeof loan === 'string') {
      throw new UserError(`no debug register for the hunt: ${loan}`);
    }
    const effects = new AccessEffects(context.gdb, context.pid, watch.threadIds);
    const sampler = candidates ? new CodeSampler(context.gdb, effects, candidates) : undefined;
    const hunt = new RaceHunt(
      { gdb: context.gdb, pid: context.pid, loan, effects, threadIds: watch.threadIds, send: this.send, mark: () => this.userStops.mark(), userHolds: (threadId, mark) => this.userStops.holds(threadId, mark), handOver: (threadId) => this.userStops.handOver(threadId) },
      { targets, stallMs },
      sampler,
    );
    receiver.hunt = hunt;
    // Known to the stop arbiter before its first trap or code sample can stop a thread.
    this.current = { hunt, finish: async () => undefined };
    const quiet = hunt;
    context.notices.quietBreakpoint = (number) => quiet.ownsBreakpoint(number);
    const failure = await hunt.start();
    if (failure) {
      this.current = undefined;
      await hunt.stop();
      throw new UserError(failure);
    }
    return this.run(hunt, durationMs, context, targets ? targets.map((t) => t.name).join(', ') : 'the whole program', starting);
  }

  /** Keeps the hunt's clock (it counts while the program runs) until it ends; resolves with its summary. */
  private run(hunt: RaceHunt, durationMs: number, context: HuntContext, what: string, starting: { end?: HuntEndEventBody['reason'] }): Promise<HuntResult> {
    const task: ProgressTask = this.progress.start(`pwatch: hunting races in ${what}`);
    let elapsed = 0;
    let last = Date.now();
    let tick: NodeJS.Timeout | undefined;
    /** The hunt's clock runs while the program does (a hunt asked while it is stopped begins when it runs). */
    const count = () => {
      const now = Date.now();
      elapsed += context.isRunning() ? now - last : 0;
      last = now;
    };
    return new Promise<HuntResult>((resolve) => {
      const finish = async (reason: HuntEndEventBody['reason']) => {
        if (this.current?.hunt !== hunt) {
          return;
        }
        this.current = undefined;
        this.last = hunt;
        clearInterval(tick);
        count();
        await hunt.stop();
        const summary = hunt.summary(elapsed, reason);
        task.end(`${summary.races} race${summary.races === 1 ? '' : 's'} found`);
        this.send(pwatchEvent('pwatch/huntEnd', summary));
        const missed = summary.missedThreads > 0 ? `; ${summary.missedThreads} threads could not be watched (no free debug register)` : '';
        this.send(new OutputEvent(`pwatch: race hunt in ${what} ended (${reason}): ${summary.races} race(s), ${summary.stalls} stalls in ${(elapsed / 1000).toFixed(1)} s${missed}\n`, 'console'));
        resolve({ ...summary, reports: hunt.reports() });
      };
      this.current = { hunt, finish };
      if (this.starting === starting) {
        this.starting = undefined; // it runs: pwatch/stopHunt now finishes it
      }
      if (this.closed || !context.isAlive() || starting.end) {
        void finish(starting.end ?? 'exited'); // stopped, or the program ended, while the hunt was starting
        return;
      }
      tick = setInterval(() => {
        count();
        task.report(Math.min(elapsed, durationMs), durationMs);
        if (!context.isAlive() || hunt.execed) {
          void finish('exited');
        } else if (task.cancelled()) {
          void finish('stopped');
        } else if (elapsed >= durationMs) {
          void finish('duration');
        }
      }, TICK_MS);
    });
  }

  private async resolve(list: NonNullable<HuntRacesArgs['targets']>, context: HuntContext, watch: DataBreakpoints): Promise<HuntTarget[]> {
    const targets: HuntTarget[] = [];
    for (const args of list) {
      const dataId = await dataIdFor(context.gdb, context.pid!, args ?? {}, context.variables, watch.scopes);
      const target = await resolveTarget(context.gdb, dataId);
      if (typeof target === 'string') {
        throw new UserError(target);
      }
      targets.push(...splitRange(target.address, target.length).map((piece) => ({ ...piece, name: targetName(target) })));
    }
    return targets;
  }
}

function whole(value: unknown, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`'${name}' must be a whole number of milliseconds from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return value;
}
