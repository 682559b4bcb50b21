/**
 * The few bytes of an ELF header that say which CPU a native binary is built
 * for. Lambda runs Linux, so a `.node` addon, a `.so` library or an
 * executable that loads there is an ELF file, and its e_machine field tells
 * x86-64 from aarch64 without running anything. Only the first 20 bytes are
 * read, so checking every candidate in a large node_modules stays cheap.
 */
import { closeSync, openSync, readSync } from "node:fs";

/** Bytes needed: e_ident (16), e_type (2), e_machine (2). */
export const ELF_HEADER_BYTES = 20;

/** e_machine values (System V ABI) for the CPUs that matter on Lambda; others are kept by number. */
export const ELF_MACHINE = { x86: 3, arm: 40, x86_64: 62, aarch64: 183 } as const;

export interface ElfHeader {
  /** EI_CLASS: 32- or 64-bit. */
  readonly bits: 32 | 64;
  /** EI_DATA: byte order of the header's multi-byte fields. */
  readonly endianness: "little" | "big";
  /** e_machine: 62 for x86-64, 183 for aarch64 (ELF_MACHINE). */
  readonly machine: number;
}

/** The header at the start of these bytes, or undefined when they do not start an ELF file. */
export function parseElfHeader(bytes: Uint8Array): ElfHeader | undefined {
  if (bytes.length < ELF_HEADER_BYTES) return undefined;
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    return undefined; // not "\x7fELF"
  }
  const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined;
  const endianness = bytes[5] === 1 ? "little" : bytes[5] === 2 ? "big" : undefined;
  if (bits === undefined || endianness === undefined) return undefined;
  const low = bytes[18]!;
  const high = bytes[19]!;
  const machine = endianness === "little" ? low | (high << 8) : (low << 8) | high;
  return { bits, endianness, machine };
}

/** The ELF header of a file, or undefined when it is not ELF or cannot be read. */
export function readElfHeader(file: string): ElfHeader | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const bytes = Buffer.alloc(ELF_HEADER_BYTES);
    const read = readSync(fd, bytes, 0, ELF_HEADER_BYTES, 0);
    return parseElfHeader(bytes.subarray(0, read));
  } catch {
    return undefined; // unreadable (permissions, a FIFO that vanished): not a binary we can judge
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A readable name for an e_machine value: "x86-64", "aarch64", or "machine 243". */
export function elfMachineName(machine: number): string {
  switch (machine) {
    case ELF_MACHINE.x86:
      return "x86 (32-bit)";
    case ELF_MACHINE.arm:
      return "arm (32-bit)";
    case ELF_MACHINE.x86_64:
      return "x86-64";
    case ELF_MACHINE.aarch64:
      return "aarch64";
    default:
      return `machine ${machine}`;
  }
}

/** Whether code for this machine can only run on an x86 CPU (so never on Lambda's arm64). */
export function isX86Machine(machine: number): boolean {
  return machine === ELF_MACHINE.x86_64 || machine === ELF_MACHINE.x86;
}
