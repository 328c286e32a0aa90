/**
 * The Races section of the Watchpoints view, built from the adapter's `pwatch/race` and `pwatch/huntEnd` events, and a
 * race as text in ThreadSanitizer's familiar layout (for "Copy Race Report"). Pure, so it is unit-tested without an editor.
 */
import type { HuntEndEventBody, RaceAccess, RaceEventBody } from '../../adapter/protocol/pwatchProtocol';

export type { HuntEndEventBody, RaceAccess, RaceEventBody };

export class RaceModel {
  private readonly races = new Map<number, RaceEventBody>();
  /** A hunt runs (started by a command or any client request, until its pwatch/huntEnd). */
  hunting = false;
  lastEnd: HuntEndEventBody | undefined;

  /** Records a race (again, with a new count); true the first time any race is reported in this session. */
  onRace(race: RaceEventBody): boolean {
    const first = this.races.size === 0;
    this.races.set(race.id, race);
    return first;
  }

  onHuntEnd(end: HuntEndEventBody): void {
    this.hunting = false;
    this.lastEnd = end;
  }

  reset(): void {
    this.races.clear();
    this.hunting = false;
    this.lastEnd = undefined;
  }

  list(): RaceEventBody[] {
    return [...this.races.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): RaceEventBody | undefined {
    return this.races.get(id);
  }
}

function place(side: RaceAccess): string {
  const top = side.frames[0];
  return top?.file && top.line ? `${top.file.split('/').pop()}:${top.line}` : side.pc;
}

/** `counter: thread 3 write (race_counter.c:18) vs thread 5 read (race_counter.c:18)`. */
export function describeRace(race: RaceEventBody): string {
  const side = (s: RaceAccess) => `thread ${s.threadId ?? `tid ${s.tid}`} ${s.access} (${place(s)})`;
  return `${race.symbol ?? race.address}: ${side(race.first)} vs ${side(race.second)}`;
}

export function describeSide(side: RaceAccess, which: 'first' | 'second'): string {
  const role = which === 'first' ? 'stalled' : 'during the stall';
  return `${side.access === 'write' ? 'Write' : 'Read'}${side.atomic ? ' (atomic)' : ''} by thread ${side.threadId ?? '?'} (tid ${side.tid}), ${role}`;
}

export function describeFrame(frame: RaceAccess['frames'][number]): string {
  return frame.file && frame.line ? `${frame.name} (${frame.file.split('/').pop()}:${frame.line})` : frame.name;
}

export function describeHunt(model: RaceModel): string {
  if (model.hunting) {
    return 'hunting…';
  }
  const end = model.lastEnd;
  return end ? `${end.races} found, ${end.stalls} stalls in ${(end.durationMs / 1000).toFixed(1)} s` : '';
}

/**
 * ThreadSanitizer's layout, so a report reads as people expect: the later access first, the stalled thread's as the
 * "Previous" one, each with its stack, then the location and a summary line. Named pwatch's, not ThreadSanitizer's.
 */
export function tsanReport(race: RaceEventBody, pid?: number): string {
  const stack = (side: RaceAccess) =>
    side.frames.map((f, i) => `    #${i} ${f.name} ${f.file ?? '??'}${f.line ? `:${f.line}` : ''}${i === 0 ? ` (pc ${side.pc})` : ''}`).join('\n');
  const access = (side: RaceAccess, previous: boolean) => {
    const kind = `${side.atomic ? 'atomic ' : ''}${side.access}`;
    const text = previous ? `Previous ${kind}` : kind[0].toUpperCase() + kind.slice(1);
    return `  ${text} of size ${race.bytes} at ${race.address} by thread T${side.threadId ?? '?'} (tid ${side.tid}):\n${stack(side)}`;
  };
  const top = race.second.frames[0];
  const where = top?.file ? `${top.file}${top.line ? `:${top.line}` : ''} in ${top.name}` : race.second.pc;
  return [
    '==================',
    `WARNING: pwatch: data race${pid !== undefined ? ` (pid=${pid})` : ''}${race.count > 1 ? ` (seen ${race.count} times)` : ''}`,
    access(race.second, false),
    '',
    access(race.first, true),
    '',
    `  Location is ${race.symbol ? `'${race.symbol}'` : 'memory'} of size ${race.bytes} at ${race.address}`,
    '',
    `SUMMARY: pwatch: data race ${where}`,
    '==================',
  ].join('\n');
}
