//! The network layers: the run's private network namespace (loopback
//! only) and each test's own.
use super::probe::{clone_process, probe_exit, probe_result};
use super::state;

/// Whether a test's thread may make a network namespace of its own with
/// `lo` up.
pub(super) fn probe_net_per_test() -> Result<(), String> {
    // SAFETY: the child only makes system calls and exits.
    let pid = unsafe { clone_process(0) };
    if pid == 0 {
        // SAFETY: system calls only, in the child.
        unsafe {
            if libc::unshare(libc::CLONE_NEWNET) != 0 {
                probe_exit(1);
            }
            if loopback_up().is_err() {
                probe_exit(2);
            }
            libc::_exit(0);
        }
    }
    probe_result(pid, &["a new network namespace", "bringing lo up"])
}

/// Moves this process into new network (and, unless root, user) namespaces
/// with `lo` up.
pub(super) fn enter_network_namespace(root: bool) -> Result<(), String> {
    let threads = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|v| v.trim().parse::<u32>().ok())
        })
        .unwrap_or(1);
    if threads > 1 {
        return Err("the grader already runs several threads".into());
    }
    let uid = nix::unistd::getuid().as_raw();
    let gid = nix::unistd::getgid().as_raw();
    let flags = if root {
        libc::CLONE_NEWNET
    } else {
        libc::CLONE_NEWUSER | libc::CLONE_NEWNET
    };
    // SAFETY: unshare with flags only.
    if unsafe { libc::unshare(flags) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(format!("the kernel refused a new network namespace: {e}"));
    }
    if !root {
        let write = |path: &str, text: String| {
            std::fs::write(path, text).map_err(|e| format!("writing {path}: {e}"))
        };
        write("/proc/self/setgroups", "deny".into())?;
        write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
        write("/proc/self/gid_map", format!("{gid} {gid} 1"))?;
    }
    loopback_up()
}

/// Brings `lo` up in the current network namespace.
pub(super) fn loopback_up() -> Result<(), String> {
    // SAFETY: a plain socket for the interface ioctls, closed below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(format!(
            "a socket to configure lo: {}",
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: ifreq is plain data; the name fits; the ioctls read and write it.
    let result = unsafe {
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo\0".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        if libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            if libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(())
            }
        }
    };
    // SAFETY: fd is ours.
    unsafe { libc::close(fd) };
    result.map_err(|e| format!("bringing lo up: {e}"))
}

/// Whether each test runs in a network namespace of its own
/// ([`enter_test_network`]): its addresses and ports are then free by
/// construction.
pub fn network_per_test() -> bool {
    state().net_per_test
}

/// Gives the calling thread, a test's own, a network namespace of its own
/// with `lo` up (when the isolation layer has it): the threads it starts
/// and the programs it runs inherit it, so the test's sockets, the suite's
/// and its programs', are out of every other test's reach.
pub fn enter_test_network() -> Result<(), String> {
    if !state().net_per_test {
        return Ok(());
    }
    // SAFETY: unshare with a flag only; it concerns this thread alone.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(format!("the test's network namespace: {e}"));
    }
    loopback_up().map_err(|e| format!("the test's network namespace: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};

    #[test]
    #[ignore = "root: makes a network namespace"]
    fn a_new_network_namespace_has_loopback_once_lo_is_up() {
        std::thread::spawn(|| {
            // SAFETY: unshare with a flag only; this thread alone moves,
            // and it ends with the test.
            assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0);
            // The address is there, but nothing goes through lo while it is
            // down.
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            assert!(
                TcpStream::connect(listener.local_addr().unwrap()).is_err(),
                "loopback works before lo is up"
            );
            loopback_up().unwrap();
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        })
        .join()
        .unwrap();
    }
}
