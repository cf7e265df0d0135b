//! The operating-system side of package `os`: open files, standard input, the file system and
//! the environment, as natives that return Unix errno numbers (0 for success).
//!
//! `stdlib/os/os.gom` wraps these in Go's API (`*os.File`, `*os.PathError`, `io.EOF`), so the
//! error values and messages are built in the language exactly as Go builds them; this module
//! only talks to the OS. Open files are kept in one process-wide table by descriptor number
//! (the real descriptor, so `(*File).Fd` is Go's).

use super::natives::{words, Words};
use super::{Goroutine, Unwind, Vm};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt};
use std::sync::{Mutex, OnceLock};

/// Files opened by the program, by descriptor.
fn files() -> &'static Mutex<HashMap<u64, File>> {
    static FILES: OnceLock<Mutex<HashMap<u64, File>>> = OnceLock::new();
    FILES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Go's `EBADF`: an operation on a descriptor the program does not have open.
const EBADF: u64 = 9;
/// Go's `EINVAL`.
const EINVAL: u64 = 22;

/// The errno of an I/O error (EINVAL when the OS gave none).
fn errno(e: &std::io::Error) -> u64 {
    e.raw_os_error().map_or(EINVAL, |n| n as u64)
}

/// The natives of this module, by qualified name.
pub(crate) fn lookup(name: &str) -> Option<super::natives::Native> {
    Some(match name {
        "os.sysOpen" => |vm, _, a| {
            let path = vm.go_string(a[0]);
            Ok(match open(&path, a[1] as i64, a[2] as u32) {
                Ok(fd) => words![fd, 0],
                Err(e) => words![u64::MAX, errno(&e)],
            })
        },
        "os.sysRead" => sys_read,
        "os.sysPread" => |vm, _, a| {
            let mut buf = vec![0u8; vm.len(a[1], crate::bytecode::SeqKind::Slice)];
            let result = with_file(a[0], |f| f.read_at(&mut buf, a[2]));
            Ok(vm.store_read(a[1], &buf, result))
        },
        "os.sysWrite" => |vm, _, a| {
            let bytes: Vec<u8> = vm.slice_words(a[1]).iter().map(|w| *w as u8).collect();
            if a[0] == 1 || a[0] == 2 {
                vm.write_fd(a[0], &bytes);
                return Ok(words![bytes.len() as u64, 0]);
            }
            Ok(match with_file(a[0], |f| f.write_all(&bytes)) {
                Ok(()) => words![bytes.len() as u64, 0],
                Err(e) => words![0, e],
            })
        },
        "os.sysSeek" => |_, _, a| {
            let offset = a[1] as i64;
            let from = match a[2] {
                0 if offset >= 0 => SeekFrom::Start(offset as u64),
                1 => SeekFrom::Current(offset),
                2 => SeekFrom::End(offset),
                _ => return Ok(words![0, EINVAL]),
            };
            Ok(match with_file(a[0], |f| f.seek(from)) {
                Ok(pos) => words![pos, 0],
                Err(e) => words![0, e],
            })
        },
        "os.sysClose" => |_, _, a| {
            let closed = files().lock().map(|mut t| t.remove(&a[0]).is_some());
            Ok(words![if closed.unwrap_or(false) || a[0] <= 2 {
                0
            } else {
                EBADF
            }])
        },
        "os.sysFsync" => |_, _, a| Ok(words![with_file(a[0], |f| f.sync_all()).err().unwrap_or(0)]),
        "os.sysRemove" => |vm, _, a| {
            let path = vm.go_string(a[0]);
            // Go's Remove: unlink, and if that fails, rmdir; a failing rmdir's error is
            // reported only when the path is a directory.
            let result = std::fs::remove_file(&path).or_else(|unlink| {
                std::fs::remove_dir(&path).map_err(|rmdir| match rmdir.raw_os_error() {
                    Some(20) => unlink, // ENOTDIR: it was not a directory after all
                    _ => rmdir,
                })
            });
            Ok(words![result.err().map_or(0, |e| errno(&e))])
        },
        "os.sysRemoveAll" => |vm, _, a| {
            let path = vm.go_string(a[0]);
            let result = match std::fs::symlink_metadata(&path) {
                Err(_) => Ok(()),
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
                Ok(_) => std::fs::remove_file(&path),
            };
            Ok(words![result.err().map_or(0, |e| errno(&e))])
        },
        "os.sysMkdir" => |vm, _, a| {
            let path = vm.go_string(a[0]);
            let mut builder = std::fs::DirBuilder::new();
            builder.mode(a[1] as u32 & 0o777).recursive(a[2] != 0);
            Ok(words![builder.create(&path).err().map_or(0, |e| errno(&e))])
        },
        "os.sysGetwd" => |vm, _, _| {
            Ok(match std::env::current_dir() {
                Ok(dir) => words![vm.heap.string(dir.as_os_str().as_encoded_bytes()), 0],
                Err(e) => words![0, errno(&e)],
            })
        },
        "os.Getpid" => |_, _, _| Ok(words![u64::from(std::process::id())]),
        "os.sysHostname" => |vm, _, _| {
            let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|s| s.trim_end().to_string())
                .unwrap_or_else(|_| "localhost".to_string());
            Ok(words![vm.heap.string(name.as_bytes())])
        },
        "os.LookupEnv" => |vm, _, a| {
            let key = vm.go_string(a[0]);
            Ok(match std::env::var_os(&key) {
                Some(v) => words![vm.heap.string(v.as_encoded_bytes()), 1],
                None => words![0, 0],
            })
        },
        "os.sysSetenv" => |vm, _, a| {
            let (key, value) = (vm.go_string(a[0]), vm.go_string(a[1]));
            if key.is_empty() || key.contains(['=', '\0']) || value.contains('\0') {
                return Ok(words![EINVAL]);
            }
            // The program's environment belongs to it; gom reads it only at start-up.
            std::env::set_var(&key, &value);
            Ok(words![0])
        },
        "os.sysUnsetenv" => |vm, _, a| {
            let key = vm.go_string(a[0]);
            if !key.is_empty() && !key.contains(['=', '\0']) {
                std::env::remove_var(&key);
            }
            Ok(words![0])
        },
        "os.Environ" => |vm, _, _| {
            let words: Vec<u64> = std::env::vars_os()
                .map(|(k, v)| {
                    let mut entry = k.as_encoded_bytes().to_vec();
                    entry.push(b'=');
                    entry.extend_from_slice(v.as_encoded_bytes());
                    vm.heap.string(&entry)
                })
                .collect();
            Ok(words![vm.slice_from(words)])
        },
        _ => return None,
    })
}

/// `sysRead(fd, b) (n, errno)`: fills `b` from the descriptor; n == 0 with errno 0 is end of
/// file.
fn sys_read(vm: &mut Vm, _: &mut Goroutine, a: &[u64]) -> Result<Words, Unwind> {
    let mut buf = vec![0u8; vm.len(a[1], crate::bytecode::SeqKind::Slice)];
    let result = if a[0] == 0 {
        // Output written so far must reach a terminal before the program waits for input.
        vm.flush();
        // The read may wait for the user indefinitely: other goroutines run meanwhile on the
        // P this M hands on (Go's syscall handoff).
        vm.blocking(|| {
            std::io::stdin()
                .lock()
                .read(&mut buf)
                .map_err(|e| errno(&e))
        })
    } else {
        with_file(a[0], |f| f.read(&mut buf))
    };
    Ok(vm.store_read(a[1], &buf, result))
}

/// Runs `op` on the open file `fd`; EBADF if the program has no such file.
fn with_file<T>(fd: u64, op: impl FnOnce(&mut File) -> std::io::Result<T>) -> Result<T, u64> {
    let Ok(mut table) = files().lock() else {
        return Err(EBADF);
    };
    let file = table.get_mut(&fd).ok_or(EBADF)?;
    op(file).map_err(|e| errno(&e))
}

/// `open(2)` with Go's flag bits (Linux values) and permission bits.
fn open(path: &str, flag: i64, perm: u32) -> std::io::Result<u64> {
    const O_WRONLY: i64 = 0x1;
    const O_RDWR: i64 = 0x2;
    const O_CREATE: i64 = 0x40;
    const O_EXCL: i64 = 0x80;
    const O_TRUNC: i64 = 0x200;
    const O_APPEND: i64 = 0x400;
    let access = flag & 0x3;
    let mut options = OpenOptions::new();
    options
        .read(access != O_WRONLY)
        .write(access == O_WRONLY || access == O_RDWR)
        .append(flag & O_APPEND != 0)
        .truncate(flag & O_TRUNC != 0)
        .mode(perm & 0o7777)
        .custom_flags((flag & !(0x3 | O_CREATE | O_EXCL | O_TRUNC | O_APPEND)) as i32);
    if flag & O_CREATE != 0 {
        if flag & O_EXCL != 0 {
            options.create_new(true);
        } else {
            options.create(true);
        }
    }
    let file = options.open(path)?;
    let fd = file.as_raw_fd() as u64;
    if let Ok(mut table) = files().lock() {
        table.insert(fd, file);
    }
    Ok(fd)
}

impl Vm {
    /// A Go string as Rust text (invalid UTF-8 replaced).
    pub(crate) fn go_string(&self, s: u64) -> String {
        String::from_utf8_lossy(self.heap.str_bytes(s)).into_owned()
    }

    /// Copies the bytes a read produced into the Go slice `b`: the results `(n, errno)`.
    fn store_read(&self, b: u64, buf: &[u8], result: Result<usize, u64>) -> Words {
        match result {
            Ok(n) => {
                let words: Vec<u64> = buf[..n.min(buf.len())]
                    .iter()
                    .map(|&x| u64::from(x))
                    .collect();
                self.copy_slice(b, &words);
                words![n as u64, 0]
            }
            Err(e) => words![0, e],
        }
    }
}

/// Go's text for a Linux errno (`syscall.Errno.Error`).
pub(crate) fn errno_text(n: u64) -> String {
    let text = match n {
        1 => "operation not permitted",
        2 => "no such file or directory",
        4 => "interrupted system call",
        5 => "input/output error",
        9 => "bad file descriptor",
        11 => "resource temporarily unavailable",
        12 => "cannot allocate memory",
        13 => "permission denied",
        16 => "device or resource busy",
        17 => "file exists",
        18 => "invalid cross-device link",
        20 => "not a directory",
        21 => "is a directory",
        22 => "invalid argument",
        23 => "too many open files in system",
        24 => "too many open files",
        27 => "file too large",
        28 => "no space left on device",
        29 => "illegal seek",
        30 => "read-only file system",
        32 => "broken pipe",
        36 => "file name too long",
        39 => "directory not empty",
        40 => "too many levels of symbolic links",
        _ => return format!("errno {n}"),
    };
    text.to_string()
}
