/**
 * Splits a watched range into hardware watchpoint pieces: x86 debug registers watch 1, 2, 4 or 8 bytes at
 * an address aligned to that length, so a range becomes the fewest naturally aligned pieces.
 */
export interface Piece {
  address: bigint;
  length: 1 | 2 | 4 | 8;
}

export const MAX_WATCH_BYTES = 32; // four 8-byte registers at most

/** x86-64 user space ends below 2^47 (four-level paging; pwatch does not watch five-level addresses). */
export const USER_SPACE_END = 1n << 47n;

/** Why [address, address + length) cannot be a user-space range of the program, or undefined when it can. */
export function outsideUserSpace(address: bigint, length: number): string | undefined {
  if (address >= 0x1000n && address + BigInt(length) <= USER_SPACE_END) {
    return undefined;
  }
  return `0x${address.toString(16)} is not a user-space address of the program: watch an address between 0x1000 and 0x${USER_SPACE_END.toString(16)}`;
}

export function splitRange(address: bigint, length: number): Piece[] {
  const pieces: Piece[] = [];
  let at = address;
  let left = BigInt(length);
  while (left > 0n) {
    const size = ([8, 4, 2, 1] as const).find((s) => at % BigInt(s) === 0n && BigInt(s) <= left)!;
    pieces.push({ address: at, length: size });
    at += BigInt(size);
    left -= BigInt(size);
  }
  return pieces;
}
