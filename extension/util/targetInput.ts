/** Checks what the user types into the input boxes of the watch and race hunt commands, before anything is sent. */
import { splitRange } from '../../adapter/watch/ranges';

const REGISTERS = 4;

/** undefined when fine, else the message shown under the input box. */
export function checkExpression(text: string): string | undefined {
  if (!text.trim()) {
    return 'Type the expression to watch, e.g. shared_counter or cfg.limits[2]';
  }
  return /[\r\n\0]/.test(text) ? 'One line, please' : undefined;
}

export function checkAddress(text: string): string | undefined {
  return /^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(text) ? undefined : 'An address in hex (0x7ffd…) or decimal';
}

export function checkBytes(text: string, address: string): string | undefined {
  const bytes = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || bytes < 1 || bytes > 32) {
    return 'A byte count from 1 to 32 (four 8-byte debug registers at most)';
  }
  if (checkAddress(address) === undefined) {
    const pieces = splitRange(BigInt(address.trim()), bytes).length;
    if (pieces > REGISTERS) {
      return `${bytes} bytes at ${address.trim()} need ${pieces} debug registers (aligned 1/2/4/8-byte pieces); at most ${REGISTERS} exist`;
    }
  }
  return undefined;
}

