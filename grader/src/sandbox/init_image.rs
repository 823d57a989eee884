//! A test's init as a program of its own: 163 bytes that name the process
//! and wait, in a sealed memory file the grader makes once.
//!
//! Each test's PID namespace starts with an init (see `pid_ns`). Started
//! as the grader's own executable, that init cost 2.4–2.9 ms of CPU, all
//! of it the dynamic loader's work on a 40 MB executable (62,000
//! relocations, the pages they touch), and a grading of the solutions
//! starts one per test: a self-check ~3,000, the project's end-to-end tests
//! ~11,000. This program needs no loader: 0.2 ms.
//!
//! What the init must do before it waits is done by its parent between
//! `clone` and `exec`, and holds across the `exec`: every signal blocked,
//! `SIGCHLD` ignored (the kernel reaps the orphans it inherits), killed
//! with the test's thread (`PR_SET_PDEATHSIG`), no file open. The program
//! then only names itself `socklings-init` and calls `pause` for ever.
//!
//! Only for x86-64 Linux; elsewhere, or where the kernel refuses to
//! execute a memory file (`vm.memfd_noexec`: tried once, when the file is
//! made), [`descriptor`] is `None` and the grader's executable serves as
//! before.
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Where the program is loaded.
#[cfg(target_arch = "x86_64")]
const LOAD_ADDRESS: u64 = 0x40_0000;

/// The machine code, then the name it gives the process:
///
/// ```text
///  0: bf 0f 00 00 00        mov  edi, 15           ; PR_SET_NAME
///  5: 48 8d 35 10 00 00 00  lea  rsi, [rip + 0x10] ; the name, at 0x1c
///  c: b8 9d 00 00 00        mov  eax, 157          ; prctl
/// 11: 0f 05                 syscall
/// 13: b8 22 00 00 00        mov  eax, 34           ; pause
/// 18: 0f 05                 syscall
/// 1a: eb f7                 jmp  0x13
/// 1c: "socklings-init\0"
/// ```
#[cfg(target_arch = "x86_64")]
const CODE: &[u8] = b"\xbf\x0f\x00\x00\x00\
\x48\x8d\x35\x10\x00\x00\x00\
\xb8\x9d\x00\x00\x00\
\x0f\x05\
\xb8\x22\x00\x00\x00\
\x0f\x05\
\xeb\xf7\
socklings-init\x00";

/// The executable: an ELF header, one program header loading the whole
/// file (readable, executable), the code.
#[cfg(target_arch = "x86_64")]
fn image() -> Vec<u8> {
    const HEADER: u16 = 64;
    const PROGRAM_HEADER: u16 = 56;
    let code_at = u64::from(HEADER + PROGRAM_HEADER);
    let size = code_at + CODE.len() as u64;
    let mut out = Vec::with_capacity(size as usize);
    // e_ident: the magic, 64-bit, little-endian, version 1, System V.
    out.extend_from_slice(b"\x7fELF\x02\x01\x01\x00");
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes()); // e_type: an executable
    out.extend_from_slice(&0x3eu16.to_le_bytes()); // e_machine: x86-64
    out.extend_from_slice(&1u32.to_le_bytes()); // e_version
    out.extend_from_slice(&(LOAD_ADDRESS + code_at).to_le_bytes()); // e_entry
    out.extend_from_slice(&u64::from(HEADER).to_le_bytes()); // e_phoff
    out.extend_from_slice(&0u64.to_le_bytes()); // e_shoff: no sections
    out.extend_from_slice(&0u32.to_le_bytes()); // e_flags
    out.extend_from_slice(&HEADER.to_le_bytes()); // e_ehsize
    out.extend_from_slice(&PROGRAM_HEADER.to_le_bytes()); // e_phentsize
    out.extend_from_slice(&1u16.to_le_bytes()); // e_phnum
    out.extend_from_slice(&[0; 6]); // e_shentsize, e_shnum, e_shstrndx
    out.extend_from_slice(&1u32.to_le_bytes()); // p_type: PT_LOAD
    out.extend_from_slice(&5u32.to_le_bytes()); // p_flags: read, execute
    out.extend_from_slice(&0u64.to_le_bytes()); // p_offset
    out.extend_from_slice(&LOAD_ADDRESS.to_le_bytes()); // p_vaddr
    out.extend_from_slice(&LOAD_ADDRESS.to_le_bytes()); // p_paddr
    out.extend_from_slice(&size.to_le_bytes()); // p_filesz
    out.extend_from_slice(&size.to_le_bytes()); // p_memsz
    out.extend_from_slice(&0x1000u64.to_le_bytes()); // p_align
    out.extend_from_slice(CODE);
    debug_assert_eq!(out.len() as u64, size);
    out
}

/// Executes the program in the memory file `image` (the descriptor itself:
/// `execveat` with an empty path) with `argv` and `envp`; returns only if
/// that failed.
///
/// # Safety
/// `argv` and `envp` are null-terminated arrays of C strings. Only system
/// calls: callable between `clone` and `exec`.
pub(super) unsafe fn execute(
    image: libc::c_int,
    argv: *const *const libc::c_char,
    envp: *const *const libc::c_char,
) {
    libc::syscall(
        libc::SYS_execveat,
        image,
        c"".as_ptr(),
        argv,
        envp,
        libc::AT_EMPTY_PATH,
    );
}

/// Set once an init started from the memory file did not run: the
/// grader's executable serves from then on.
static REFUSED: AtomicBool = AtomicBool::new(false);

/// The memory file holding the program (closed on `exec`), made at the
/// first call; `None` where there is none to be had, or once it was
/// [`refused`].
pub(super) fn descriptor() -> Option<libc::c_int> {
    static FILE: OnceLock<Option<OwnedFd>> = OnceLock::new();
    if REFUSED.load(Ordering::Relaxed) {
        return None;
    }
    FILE.get_or_init(make).as_ref().map(|fd| fd.as_raw_fd())
}

/// Records that the kernel would not run the program.
pub(super) fn refused() {
    REFUSED.store(true, Ordering::Relaxed);
}

#[cfg(not(target_arch = "x86_64"))]
fn make() -> Option<OwnedFd> {
    None
}

#[cfg(target_arch = "x86_64")]
fn make() -> Option<OwnedFd> {
    /// `MFD_EXEC` (Linux 6.3): asks for an executable file where the
    /// kernel makes memory files non-executable unless asked.
    const MFD_EXEC: libc::c_uint = 0x10;
    let flags = libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING;
    // Older kernels refuse the flag they do not know: then without it.
    let fd = [flags | MFD_EXEC, flags].into_iter().find_map(|flags| {
        // SAFETY: a constant name; the descriptor returned is ours.
        let fd = unsafe { libc::memfd_create(c"socklings-init".as_ptr(), flags) };
        // SAFETY: a new descriptor, owned by nothing else.
        (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
    })?;
    let mut file = std::fs::File::from(fd);
    file.write_all(&image()).ok()?;
    // Sealed: from here on nobody can change or resize it.
    let seals = libc::F_SEAL_SEAL | libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE;
    // SAFETY: fcntl on our own descriptor.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_ADD_SEALS, seals) } != 0 {
        return None;
    }
    let fd = OwnedFd::from(file);
    runs(&fd).then_some(fd)
}

/// Whether the kernel runs the program in `image`: a child executes it
/// and, should that fail, says so on a pipe that the execution closes.
/// Then it is killed.
#[cfg(target_arch = "x86_64")]
fn runs(image: &OwnedFd) -> bool {
    use std::io::Read;
    let Ok((read_end, write_end)) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC) else {
        return false;
    };
    let (image, said) = (image.as_raw_fd(), write_end.as_raw_fd());
    let started = super::orphans::spawn_registered(
        || {
            // SAFETY: the child makes system calls only, on values made
            // before the fork, then executes or exits.
            let pid = unsafe { libc::fork() };
            if pid == 0 {
                let argv = [c"socklings-init".as_ptr(), std::ptr::null()];
                let envp = [std::ptr::null::<libc::c_char>()];
                // SAFETY: as above.
                unsafe {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    execute(image, argv.as_ptr(), envp.as_ptr());
                    libc::write(said, [1u8].as_ptr().cast(), 1);
                    libc::_exit(127);
                }
            }
            if pid < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(pid)
            }
        },
        |pid| *pid,
    );
    drop(write_end);
    let Ok(pid) = started else {
        return false;
    };
    let mut failed = [0u8; 1];
    let executed = std::fs::File::from(read_end)
        .read(&mut failed)
        .is_ok_and(|n| n == 0);
    // SAFETY: kill and reap our own child.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, std::ptr::null_mut(), 0);
    }
    super::orphans::unregister_child(pid);
    executed
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    #[test]
    fn the_program_names_itself_and_waits_until_killed() {
        let fd = descriptor().expect("no memory file for the init");
        // SAFETY: the child makes system calls only, then executes.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            let argv = [c"socklings-init".as_ptr(), std::ptr::null()];
            let envp = [std::ptr::null::<libc::c_char>()];
            // SAFETY: as above.
            unsafe {
                execute(fd, argv.as_ptr(), envp.as_ptr());
                libc::_exit(127);
            }
        }
        assert!(pid > 0);
        let comm = format!("/proc/{pid}/comm");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut name = String::new();
        while std::time::Instant::now() < until {
            name = std::fs::read_to_string(&comm).unwrap_or_default();
            if name == "socklings-init\n" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let mut status = 0;
        // SAFETY: waitpid on our own child, without waiting.
        let exited = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        // SAFETY: kill and reap our own child.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            libc::waitpid(pid, &mut status, 0);
        }
        assert_eq!(exited, 0, "the init ended by itself (status {status})");
        assert_eq!(name, "socklings-init\n");
        assert!(libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGKILL);
    }
}
