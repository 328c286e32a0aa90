/**
 * Reads one named section of an ELF file (the program's `.comment`, which says which compilers built it) without
 * loading the file: programs run to hundreds of megabytes, and only their headers and that section are read.
 */
import * as fs from 'fs';

/** Sections larger than this are not read unless asked: `.comment` is a few hundred bytes. */
const SECTION_LIMIT = 1 << 20;

interface Layout {
  wide: boolean;
  little: boolean;
}

function word(buffer: Buffer, offset: number, layout: Layout, size: 2 | 4 | 8): number {
  if (size === 2) {
    return layout.little ? buffer.readUInt16LE(offset) : buffer.readUInt16BE(offset);
  }
  if (size === 4) {
    return layout.little ? buffer.readUInt32LE(offset) : buffer.readUInt32BE(offset);
  }
  return Number(layout.little ? buffer.readBigUInt64LE(offset) : buffer.readBigUInt64BE(offset));
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = fs.readSync(fd, buffer, 0, length, offset);
  return buffer.subarray(0, read);
}

/** The section's bytes, or undefined when the file is not ELF, has no such section (of at most `limit` bytes), or cannot be read. */
export function readElfSection(file: string, name: string, limit = SECTION_LIMIT): Buffer | undefined {
  return elfSection(file, name, limit)?.bytes;
}

export interface ElfSection {
  bytes: Buffer;
  /** Where the section is loaded, before any load bias (sh_addr). */
  address: number;
  /** The file is position independent (ET_DYN): its addresses move by the load bias. */
  relocatable: boolean;
}

/** A section's bytes and load address (see readElfSection). */
export function elfSection(file: string, name: string, limit = SECTION_LIMIT): ElfSection | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const header = readAt(fd, 0, 64);
    if (header.length < 52 || header.readUInt32BE(0) !== 0x7f454c46) {
      return undefined;
    }
    const layout: Layout = { wide: header[4] === 2, little: header[5] === 1 };
    const addr = layout.wide ? 8 : 4;
    const shoff = word(header, layout.wide ? 0x28 : 0x20, layout, addr);
    const shentsize = word(header, layout.wide ? 0x3a : 0x2e, layout, 2);
    const shnum = word(header, layout.wide ? 0x3c : 0x30, layout, 2);
    const shstrndx = word(header, layout.wide ? 0x3e : 0x32, layout, 2);
    if (shoff === 0 || shnum === 0 || shstrndx >= shnum || shentsize < (layout.wide ? 64 : 40)) {
      return undefined;
    }
    const table = readAt(fd, shoff, shnum * shentsize);
    const section = (i: number) => {
      const at = i * shentsize;
      return {
        name: word(table, at, layout, 4),
        offset: word(table, at + (layout.wide ? 24 : 16), layout, addr),
        size: word(table, at + (layout.wide ? 32 : 20), layout, addr),
        address: word(table, at + (layout.wide ? 16 : 12), layout, addr),
      };
    };
    if (table.length < shnum * shentsize) {
      return undefined;
    }
    const names = section(shstrndx);
    const strings = readAt(fd, names.offset, Math.min(names.size, SECTION_LIMIT));
    for (let i = 0; i < shnum; i++) {
      const s = section(i);
      const end = strings.indexOf(0, s.name);
      if (strings.toString('latin1', s.name, end < 0 ? strings.length : end) === name) {
        return s.size > limit ? undefined : { bytes: readAt(fd, s.offset, s.size), address: s.address, relocatable: word(header, 16, layout, 2) === 3 };
      }
    }
    return undefined;
  } catch {
    return undefined; // unreadable or truncated: no section, as for a non-ELF file
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}

/** The file is an ELF object loaded at a bias (ET_DYN: a position-independent executable or a library). */
export function isPositionIndependent(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const header = readAt(fd, 0, 18);
    return header.length === 18 && header.readUInt32BE(0) === 0x7f454c46 && word(header, 16, { wide: header[4] === 2, little: header[5] === 1 }, 2) === 3;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}
