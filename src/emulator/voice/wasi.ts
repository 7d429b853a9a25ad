/**
 * Runs a WASI (preview1) command module once, entirely in memory: arguments in, files
 * the program creates and its stdout/stderr out. It implements the calls a batch
 * command such as Flite imports and nothing else: no host file system, no environment,
 * and a clock frozen at 0 so a run is reproducible byte for byte. It replaces
 * `node:wasi`, which is experimental on Node 20 and 22 (it prints a warning) and
 * can only write files to a real directory.
 */

/** What one run produced. */
export interface WasiRunResult {
  /** The exit code (`proc_exit`, or 0 when `_start` returned). */
  exitCode: number;
  /** Files the program opened for writing, by the path it gave. */
  files: Map<string, Uint8Array>;
  stdout: string;
  stderr: string;
}

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;
const ERRNO_NOENT = 44;
const ERRNO_SPIPE = 70;
const FILETYPE_CHARACTER_DEVICE = 2;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;
const OFLAGS_CREAT = 1;
/** The one pre-opened directory, `.`, holding the files the program creates. */
const PREOPEN_FD = 3;

class ProcExit {
  constructor(readonly code: number) {}
}

class MemFile {
  data = new Uint8Array(1 << 16);
  length = 0;
  pos = 0;

  write(bytes: Uint8Array): void {
    const end = this.pos + bytes.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(bytes, this.pos);
    this.pos = end;
    this.length = Math.max(this.length, end);
  }
}

/**
 * Instantiates `module` and runs its `_start` with `args` (args[0] is the program
 * name). Synchronous: the caller's thread runs the program to completion.
 * @throws WebAssembly.RuntimeError when the program traps.
 */
export function runWasiCommand(module: WebAssembly.Module, args: string[]): WasiRunResult {
  const enc = new TextEncoder();
  const argv = args.map((a) => enc.encode(`${a}\0`));
  const created = new Map<string, MemFile>();
  const open = new Map<number, MemFile>();
  const text = { stdout: '', stderr: '' };
  let nextFd = PREOPEN_FD + 1;
  let memory: WebAssembly.Memory | undefined;
  const dv = (): DataView => new DataView(memory!.buffer);
  const bytes = (): Uint8Array => new Uint8Array(memory!.buffer);

  const iovecs = (ptr: number, count: number): Uint8Array[] => {
    const v = dv();
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const base = v.getUint32(ptr + 8 * i, true);
      out.push(bytes().subarray(base, base + v.getUint32(ptr + 8 * i + 4, true)));
    }
    return out;
  };

  const imports = {
    args_sizes_get(countPtr: number, sizePtr: number): number {
      dv().setUint32(countPtr, argv.length, true);
      dv().setUint32(
        sizePtr,
        argv.reduce((n, a) => n + a.length, 0),
        true,
      );
      return ERRNO_SUCCESS;
    },
    args_get(argvPtr: number, bufPtr: number): number {
      let p = bufPtr;
      argv.forEach((a, i) => {
        dv().setUint32(argvPtr + 4 * i, p, true);
        bytes().set(a, p);
        p += a.length;
      });
      return ERRNO_SUCCESS;
    },
    clock_time_get(_id: number, _precision: bigint, timePtr: number): number {
      dv().setBigUint64(timePtr, 0n, true);
      return ERRNO_SUCCESS;
    },
    fd_close(fd: number): number {
      return open.delete(fd) ? ERRNO_SUCCESS : ERRNO_BADF;
    },
    fd_fdstat_get(fd: number, statPtr: number): number {
      const type = fd <= 2 ? FILETYPE_CHARACTER_DEVICE : fd === PREOPEN_FD ? FILETYPE_DIRECTORY : open.has(fd) ? FILETYPE_REGULAR_FILE : 0;
      if (type === 0) return ERRNO_BADF;
      const v = dv();
      for (let i = 0; i < 24; i++) v.setUint8(statPtr + i, 0);
      v.setUint8(statPtr, type);
      v.setBigUint64(statPtr + 8, 0xffff_ffff_ffff_ffffn, true); // rights: everything
      v.setBigUint64(statPtr + 16, 0xffff_ffff_ffff_ffffn, true);
      return ERRNO_SUCCESS;
    },
    fd_fdstat_set_flags(): number {
      return ERRNO_SUCCESS;
    },
    fd_prestat_get(fd: number, prestatPtr: number): number {
      if (fd !== PREOPEN_FD) return ERRNO_BADF;
      dv().setUint8(prestatPtr, 0); // preopentype dir
      dv().setUint32(prestatPtr + 4, 1, true); // name length of "."
      return ERRNO_SUCCESS;
    },
    fd_prestat_dir_name(fd: number, pathPtr: number, len: number): number {
      if (fd !== PREOPEN_FD || len < 1) return ERRNO_BADF;
      bytes()[pathPtr] = 0x2e;
      return ERRNO_SUCCESS;
    },
    fd_read(fd: number, _iovs: number, _count: number, nreadPtr: number): number {
      if (fd !== 0 && !open.has(fd)) return ERRNO_BADF;
      dv().setUint32(nreadPtr, 0, true); // stdin is empty; created files are write-only
      return ERRNO_SUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      const f = open.get(fd);
      if (!f) return fd <= 2 ? ERRNO_SPIPE : ERRNO_BADF;
      const base = whence === 0 ? 0 : whence === 1 ? f.pos : f.length;
      const pos = base + Number(offset);
      if (pos < 0) return ERRNO_INVAL;
      f.pos = pos;
      dv().setBigUint64(newOffsetPtr, BigInt(pos), true);
      return ERRNO_SUCCESS;
    },
    fd_write(fd: number, iovsPtr: number, count: number, nwrittenPtr: number): number {
      const f = open.get(fd);
      if (!f && fd !== 1 && fd !== 2) return ERRNO_BADF;
      let n = 0;
      for (const chunk of iovecs(iovsPtr, count)) {
        if (f) f.write(chunk);
        else text[fd === 1 ? 'stdout' : 'stderr'] += Buffer.from(chunk).toString('utf8');
        n += chunk.length;
      }
      dv().setUint32(nwrittenPtr, n, true);
      return ERRNO_SUCCESS;
    },
    path_open(dirFd: number, _dirFlags: number, pathPtr: number, pathLen: number, oflags: number, _rightsBase: bigint, _rightsInheriting: bigint, _fdFlags: number, fdPtr: number): number {
      if (dirFd !== PREOPEN_FD) return ERRNO_BADF;
      const path = Buffer.from(bytes().subarray(pathPtr, pathPtr + pathLen)).toString('utf8');
      // Only files the program creates exist; there is nothing to read.
      if (!(oflags & OFLAGS_CREAT) && !created.has(path)) return ERRNO_NOENT;
      const file = created.get(path) ?? new MemFile();
      if (oflags & OFLAGS_CREAT) file.pos = 0;
      created.set(path, file);
      const fd = nextFd++;
      open.set(fd, file);
      dv().setUint32(fdPtr, fd, true);
      return ERRNO_SUCCESS;
    },
    proc_exit(code: number): never {
      throw new ProcExit(code);
    },
  };

  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  memory = instance.exports.memory as WebAssembly.Memory;
  let exitCode = 0;
  try {
    (instance.exports._start as () => void)();
  } catch (err) {
    if (!(err instanceof ProcExit)) throw err;
    exitCode = err.code;
  }
  const files = new Map<string, Uint8Array>();
  for (const [path, f] of created) files.set(path, f.data.subarray(0, f.length));
  return { exitCode, files, ...text };
}
