/**
 * A writer of cpio archives in the "newc" format, the one the Linux kernel unpacks as an
 * initramfs. Written here rather than run through `cpio` so the VM's image needs no extra tool and
 * a run's files can be packed straight from memory. The kernel unpacks concatenated archives one
 * after the other, so a run's own files go in a second, small archive appended to the cached one.
 */
import { closeSync, openSync, writeSync } from "node:fs";

export type CpioEntry =
  | { type: "dir"; path: string; mode?: number }
  | { type: "file"; path: string; data: Buffer; mode?: number }
  | { type: "symlink"; path: string; target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const TRAILER = "TRAILER!!!";

/** A writer that appends entries to a file; parent folders must be written before what they hold. */
export class CpioWriter {
  private readonly fd: number;
  private offset = 0;
  private inode = 1;

  constructor(file: string) {
    this.fd = openSync(file, "w");
  }

  add(entry: CpioEntry): void {
    const name = entry.path.replace(/^\/+/, "");
    if (entry.type === "dir") {
      this.write(name, S_IFDIR | (entry.mode ?? 0o755), 2, Buffer.alloc(0));
    } else if (entry.type === "file") {
      this.write(name, S_IFREG | (entry.mode ?? 0o644), 1, entry.data);
    } else {
      this.write(name, S_IFLNK | 0o777, 1, Buffer.from(entry.target));
    }
  }

  /** Writes the trailer and closes the file. */
  close(): void {
    try {
      this.write(TRAILER, 0, 1, Buffer.alloc(0), 0);
    } finally {
      closeSync(this.fd);
    }
  }

  private write(name: string, mode: number, nlink: number, data: Buffer, inode = this.inode++) {
    const nameBytes = Buffer.from(`${name}\0`);
    const fields = [
      inode,
      mode,
      0, // uid
      0, // gid
      nlink,
      0, // mtime
      data.length,
      0, // devmajor
      0, // devminor
      0, // rdevmajor
      0, // rdevminor
      nameBytes.length,
      0, // check
    ];
    const header = `070701${fields.map((f) => f.toString(16).padStart(8, "0")).join("")}`;
    this.append(Buffer.from(header, "ascii"));
    this.append(nameBytes);
    this.pad();
    this.append(data);
    this.pad();
  }

  private append(data: Buffer): void {
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done);
    this.offset += data.length;
  }

  private pad(): void {
    const extra = (4 - (this.offset % 4)) % 4;
    if (extra > 0) this.append(Buffer.alloc(extra));
  }
}

/** Writes the archive of `entries` to `file`, with every missing parent folder added first. */
export function writeCpio(file: string, entries: readonly CpioEntry[]): void {
  const writer = new CpioWriter(file);
  const dirs = new Set<string>();
  try {
    for (const entry of entries) {
      const path = entry.path.replace(/^\/+/, "");
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (!dirs.has(dir)) {
          dirs.add(dir);
          writer.add({ type: "dir", path: dir });
        }
      }
      if (entry.type === "dir") {
        if (dirs.has(path)) continue;
        dirs.add(path);
      }
      writer.add(entry);
    }
  } finally {
    writer.close();
  }
}
