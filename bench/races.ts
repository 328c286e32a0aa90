/**
 * R1 race hunt over the labelled corpus (../shared/races: DataRaceBench programs, unmodified, built at -O0 and -O2): a
 * whole-program hunt (no target: pwatch is told nothing about where the race is) per program, relaunched when the
 * program ends, until the first race report or the budget (wall-clock time, relaunches included). Per program: found or not, time to the first report, how
 * many reports; reports on race-free programs are false reports, and a report on a racy program whose lines are not
 * among the pair lines its header labels is counted apart (unlabelled: possibly false).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { onPwatchEvent, pwatchRequest } from '../adapter/protocol/pwatchClient';
import { PwatchRequests, RaceEventBody } from '../adapter/protocol/pwatchProtocol';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { endPwatch, ROOT } from './drivers';

export const CORPUS = path.resolve(ROOT, '..', 'shared', 'races');
/** How long a launch may take to stop at main before the hunt starts on the running program. */
const ENTRY_MS = 5000;

export interface RaceRow {
  id: string;
  opt: 'O0' | 'O2';
  label: 'race' | 'norace';
  kind: string;
  found: boolean;
  /** Hunting time (program running under the hunt) to the first report, over every launch. */
  firstMs?: number;
  /** Wall-clock time to the first report from the first launch (gdb's start and every relaunch included). */
  wallMs?: number;
  reports: number;
  /** Reports whose two lines are not both among the lines the program's header labels as its race pairs. */
  unlabelled: number;
  launches: number;
  stalls: number;
  huntedMs: number;
}

interface Entry {
  id: string;
  file: string;
  args: string[];
  label: 'race' | 'norace';
  kind: string;
}

function manifest(): Entry[] {
  return fs
    .readFileSync(path.join(CORPUS, 'manifest.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [id, file, args, label, kind] = line.split('\t');
      return { id, file, args: args === '-' || args === 'TIMEOUT2' ? [] : args.split(' '), label: label as Entry['label'], kind };
    });
}

/**
 * The lines a DataRaceBench comment names in its pairs (`x@59:5:W vs. x@59:5:W`, or sets: `Write_set = {j@61:10}`). The
 * comment may follow an #include (DRB111, DRB183), so the whole file is read; e-mail addresses never match.
 */
export function labelledLines(text: string): Set<number> {
  return new Set([...text.matchAll(/[\w\]]@(\d+):\d+/g)].map((m) => Number(m[1])));
}

function build(entry: Entry, opt: RaceRow['opt']): string {
  const out = path.join(ROOT, 'bench', 'bin', 'races', `${entry.id}-${opt}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const source = path.join(CORPUS, 'dataracebench', entry.file);
  if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(source).mtimeMs) {
    execFileSync('gcc', ['-g', `-${opt}`, '-fopenmp', '-std=gnu99', source, '-o', out, '-lm'], { stdio: 'inherit' });
  }
  return out;
}

/** One launch under a whole-program hunt: until the first report (racy), the budget, or the program's end. */
async function huntOnce(program: string, args: string[], budgetMs: number, stopAtFirst: boolean): Promise<{ races: RaceEventBody[]; firstMs?: number; result: PwatchRequests['pwatch/huntRaces']['body'] }> {
  const dc = new DebugClient('node', path.join(ROOT, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 600_000;
  await dc.start();
  try {
    // Stopped at main, so the hunt sees the program from its start. gdb puts main's breakpoint after the prologue, on
    // a line an OpenMP main whose parallel region never returns never reaches (DRB191): then the hunt starts as it runs.
    const entry = dc.waitForEvent('stopped', ENTRY_MS).then(() => true, () => false);
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ program, args, stopAtEntry: true, stopMode: 'thread', console: 'internalConsole', env: { OMP_NUM_THREADS: '4' } }),
    ]);
    const stopped = await entry;
    const races: RaceEventBody[] = [];
    let firstMs: number | undefined;
    const started = Date.now();
    onPwatchEvent(dc, 'pwatch/race', (race) => {
      if (!races.some((r) => r.id === race.id)) {
        races.push(race);
      }
      if (firstMs === undefined) {
        firstMs = Date.now() - started;
        if (stopAtFirst) {
          void pwatchRequest(dc, 'pwatch/stopHunt', {}).catch(() => undefined);
        }
      }
    });
    const answered = pwatchRequest(dc, 'pwatch/huntRaces', { durationMs: Math.max(100, Math.round(budgetMs)) });
    if (stopped) {
      await dc.continueRequest({ threadId: 1 });
    }
    const result = await answered;
    return { races, firstMs: firstMs === undefined ? undefined : Math.min(firstMs, result.durationMs), result };
  } finally {
    await endPwatch(dc);
  }
}

export async function measureRaces(budgetMs: number, opts: RaceRow['opt'][], only: string[], log: (line: string) => void): Promise<RaceRow[]> {
  const rows: RaceRow[] = [];
  for (const entry of manifest().filter((e) => only.length === 0 || only.includes(e.id))) {
    const source = path.join(CORPUS, 'dataracebench', entry.file);
    const labelled = labelledLines(fs.readFileSync(source, 'utf8'));
    for (const opt of opts) {
      const program = build(entry, opt);
      const row: RaceRow = { id: entry.id, opt, label: entry.label, kind: entry.kind, found: false, reports: 0, unlabelled: 0, launches: 0, stalls: 0, huntedMs: 0 };
      const racy = entry.label === 'race';
      const began = Date.now();
      // The budget is wall-clock time, gdb's start and every relaunch included: what a user waits.
      while (Date.now() - began < budgetMs && !(racy && row.found)) {
        const once = await huntOnce(program, entry.args, budgetMs - (Date.now() - began), racy);
        row.launches++;
        row.stalls += once.result.stalls;
        if (once.firstMs !== undefined && !row.found) {
          row.found = true;
          row.firstMs = row.huntedMs + once.firstMs;
          row.wallMs = Date.now() - began;
        }
        // A launch always counts some time, even a program that ends before its hunt's clock ticks.
        row.huntedMs += Math.max(once.result.durationMs, 50);
        row.reports += once.races.length;
        row.unlabelled += once.races.filter((r) => !(labelled.has(r.first.frames[0]?.line ?? -1) && labelled.has(r.second.frames[0]?.line ?? -1))).length;
      }
      log(`  ${entry.id} -${opt} (${entry.label}, ${entry.kind}): ${row.found ? `found in ${(row.firstMs! / 1000).toFixed(1)} s (${(row.wallMs! / 1000).toFixed(1)} s wall)` : 'nothing'}, ${row.reports} report(s), ${row.launches} launch(es), ${row.stalls} stalls, ${(row.huntedMs / 1000).toFixed(1)} s hunted`);
      rows.push(row);
    }
  }
  return rows;
}

const HOT = (row: RaceRow) => row.kind.startsWith('HOT');

function summary(rows: RaceRow[], opt: RaceRow['opt']): string {
  const at = rows.filter((r) => r.opt === opt);
  const racy = at.filter((r) => r.label === 'race');
  const hot = racy.filter(HOT);
  const clean = at.filter((r) => r.label === 'norace');
  const falsePrograms = clean.filter((r) => r.found).length;
  const truePrograms = racy.filter((r) => r.found).length;
  const precision = truePrograms + falsePrograms === 0 ? NaN : truePrograms / (truePrograms + falsePrograms);
  const times = hot.filter((r) => r.found).map((r) => r.firstMs!).sort((a, b) => a - b);
  const walls = hot.filter((r) => r.found).map((r) => r.wallMs ?? NaN).sort((a, b) => a - b);
  const median = times.length ? times[Math.floor(times.length / 2)] : NaN;
  return (
    `| -${opt} | ${hot.filter((r) => r.found).length}/${hot.length} = ${(hot.filter((r) => r.found).length / hot.length).toFixed(2)} | ` +
    `${truePrograms}/${racy.length} = ${(truePrograms / racy.length).toFixed(2)} | ${precision.toFixed(2)} | ${clean.reduce((n, r) => n + r.reports, 0)} on ${falsePrograms} of ${clean.length} | ` +
    `${racy.reduce((n, r) => n + r.unlabelled, 0)} of ${racy.reduce((n, r) => n + r.reports, 0)} | ${(median / 1000).toFixed(1)} s | ${times.length ? (times[times.length - 1] / 1000).toFixed(1) : '-'} s | ${walls.length ? (walls[walls.length - 1] / 1000).toFixed(1) : '-'} s |`
  );
}

export function racesTable(rows: RaceRow[]): string {
  const opts = [...new Set(rows.map((r) => r.opt))];
  const lines = [
    '| program | label | class | ' + opts.map((o) => `-${o}: found (time to first report) · reports`).join(' | ') + ' |',
    '|---|---|---|' + opts.map(() => '---').join('|') + '|',
  ];
  for (const id of [...new Set(rows.map((r) => r.id))]) {
    const first = rows.find((r) => r.id === id)!;
    const cells = opts.map((opt) => {
      const r = rows.find((x) => x.id === id && x.opt === opt);
      if (!r) {
        return '-';
      }
      const found = r.label === 'race' ? (r.found ? `yes (${(r.firstMs! / 1000).toFixed(1)} s; ${((r.wallMs ?? NaN) / 1000).toFixed(1)} s wall)` : 'no') : r.found ? '**false report**' : 'none';
      return `${found} · ${r.reports}${r.unlabelled ? ` (${r.unlabelled} unlabelled)` : ''}`;
    });
    lines.push(`| ${id} | ${first.label} | ${first.kind} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    '| build | recall, HOT racy programs | recall, all racy programs | precision (programs) | false reports on race-free programs | reports off the labelled lines (racy programs) | median time to first report (HOT) | slowest (HOT) | slowest, wall clock with relaunches (HOT) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...opts.map((opt) => summary(rows, opt)),
  );
  return lines.join('\n');
}
