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

export function decodeDataId(dataId: string): DataTarget | undefined {
  const match = /^([gal])\/(\d+)\/(.*)$/s.exec(dataId);
  if (!match) {
    return undefined;
  }
  const length = Number(match[2]);
  const rest = match[3];
  if (match[1] === 'g') {
    return rest ? { kind: 'global', length, expression: rest } : undefined;
  }
  const address = /^(0x[0-9a-f]+)(?:\/(.*))?$/is.exec(rest);
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
