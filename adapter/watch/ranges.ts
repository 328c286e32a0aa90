/**
 * Splits a watched range into hardware watchpoint pieces: x86 debug registers watch 1, 2, 4 or 8 bytes at
 * an address aligned to that length, so a range becomes the fewest naturally aligned pieces.
 */
export interface Piece {
  address: bigint;
  length: 1 | 2 | 4 | 8;
}

export const MAX_WATCH_BYTES = 32; // four 8-byte registers at most

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
