/**
 * The functions an ELF file's symbol table names (.symtab, 64-bit little-endian, as x86-64 Linux builds them): where
 * each starts and how long it is. A race hunt decodes the program's code function by function from these starts, so
 * no instruction boundary is guessed across padding or data.
 */
import { elfSection } from './elfSections';

export interface FunctionSymbol {
  name: string;
  /** st_value: before any load bias. */
  address: number;
  size: number;
}

const SYMBOL_SIZE = 24;
const STT_FUNC = 2;
const SYMBOL_TABLE_LIMIT = 256 << 20;

/** The sized function symbols, or undefined when the file has no symbol table (stripped) or is not 64-bit ELF. */
export function functionSymbols(file: string): FunctionSymbol[] | undefined {
  const table = elfSection(file, '.symtab', SYMBOL_TABLE_LIMIT)?.bytes;
  const names = elfSection(file, '.strtab', SYMBOL_TABLE_LIMIT)?.bytes;
  if (!table || !names || table.length % SYMBOL_SIZE !== 0) {
    return undefined;
  }
  const found: FunctionSymbol[] = [];
  for (let at = 0; at + SYMBOL_SIZE <= table.length; at += SYMBOL_SIZE) {
    const info = table[at + 4];
    const size = Number(table.readBigUInt64LE(at + 16));
    if ((info & 0xf) !== STT_FUNC || size === 0) {
      continue;
    }
    const nameAt = table.readUInt32LE(at);
    const end = names.indexOf(0, nameAt);
    found.push({ name: names.toString('latin1', nameAt, end < 0 ? names.length : end), address: Number(table.readBigUInt64LE(at + 8)), size });
  }
  return found;
}
