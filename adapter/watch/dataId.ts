/**
 * Data breakpoint ids. A dataId names what to watch so it can be armed now and, for globals, resolved
 * again in a later session (VS Code re-sends persisted ids). Forms:
 *   g/<bytes>/<expression>          a global, by name: persistable, resolved again each session
 *   a/<bytes>/0x<address>           a raw address or a heap object: this session only
 *   l/<bytes>/0x<address>/<expr>    a local or stack object: this session only, while its frame lives
 */
export type DataTargetKind = 'global' | 'address' | 'local';

export interface DataTarget {
  kind: DataTargetKind;
  length: number;
  address?: bigint;
  expression?: string;
}

const KIND_TAGS: Record<DataTargetKind, string> = { global: 'g', address: 'a', local: 'l' };

export function encodeDataId(target: DataTarget): string {
  const tag = KIND_TAGS[target.kind];
  if (target.kind === 'global') {
    return `${tag}/${target.length}/${target.expression}`;
  }
  const base = `${tag}/${target.length}/0x${(target.address ?? 0n).toString(16)}`;
  return target.kind === 'local' ? `${base}/${target.expression ?? ''}` : base;
}

/** A dataId longer than this is not one pwatch made (expressions are names and paths, not programs). */
export const MAX_DATA_ID_LENGTH = 4096;

export function decodeDataId(dataId: string): DataTarget | undefined {
  // Validated before anything is allocated from it: a hand-made or corrupted persisted id once asked for
  // 10^20 bytes, and the adapter grew until it died.
  if (typeof dataId !== 'string' || dataId.length > MAX_DATA_ID_LENGTH) {
    return undefined;
  }
  const match = /^([gal])\/(\d{1,2})\/(.*)$/s.exec(dataId);
  if (!match) {
    return undefined;
  }
  const length = Number(match[2]);
  const rest = match[3];
  if (match[1] === 'g') {
    return rest ? { kind: 'global', length, expression: rest } : undefined;
  }
  const address = /^(0x[0-9a-f]{1,16})(?:\/(.*))?$/is.exec(rest);
  if (!address) {
    return undefined;
  }
  return {
    kind: match[1] === 'l' ? 'local' : 'address',
    length,
    address: BigInt(address[1]),
    expression: address[2] || undefined,
  };
}
