/** How logged accesses read in the Debug Console: pure functions, unit-tested. */
import { CodePlace } from '../gdb/commands/data';

export interface ShownAccess {
  tid: number;
  threadId?: number;
  pc: bigint;
  place: CodePlace;
  /** Milliseconds since the epoch. */
  time: number;
}

const count = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return count.format(n);
}

export function placeText(place: CodePlace, pc: bigint): string {
  const fn = place.function ? `in ${place.function}` : `at 0x${pc.toString(16)}`;
  const file = place.file ? ` (${place.file.split('/').pop()}${place.line !== undefined ? `:${place.line}` : ''})` : '';
  return `${fn}${file}`;
}

function clock(time: number): string {
  return new Date(time).toISOString().slice(11, 23);
}

/** `[12:00:01.234] storm_target: tid 812 (thread 3) in storm (logstorm.c:26), value now 17` */
export function accessLine(name: string, access: ShownAccess, value: string | undefined): string {
  // An observed process's threads are numbered by their tids: the number is said once.
  const thread = access.threadId !== undefined && access.threadId !== access.tid ? `tid ${access.tid} (thread ${access.threadId})` : `tid ${access.tid}`;
  const shownValue = value !== undefined ? `, value now ${value}` : '';
  return `[${clock(access.time)}] ${name}: ${thread} ${placeText(access.place, access.pc)}${shownValue}`;
}

/** The line that stands for the accesses a flush does not print one by one. */
export function summaryLine(name: string, sinceFlush: number, shown: number, total: number, threads: number): string {
  return `${name}: ${formatCount(sinceFlush)} accesses from ${formatCount(threads)} thread${threads === 1 ? '' : 's'} since the last report (${formatCount(shown)} shown), ${formatCount(total)} in all`;
}

export function lostLine(lost: number): string {
  return `data logpoints: ${formatCount(lost)} accesses lost (the buffers filled faster than they were read); counts are lower bounds`;
}
