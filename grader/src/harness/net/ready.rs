//! Readiness from the kernel's socket tables (its socket diagnostics for
//! TCP, `/proc/thread-self/net/*` else): whether a server listens on an
//! address or a Unix socket path, or holds a UDP socket bound to an
//! address.
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use super::{Endpoint, POLL};

/// What shows that a server is ready.
#[derive(Debug, Clone)]
pub(super) enum Ready {
    /// A TCP socket listening on the address.
    Tcp(SocketAddr),
    /// A UDP socket bound to the address.
    Udp(SocketAddr),
    /// A Unix stream socket listening at the path.
    Unix(PathBuf),
}

impl Ready {
    pub(super) fn endpoint(&self) -> Endpoint {
        match self {
            Ready::Tcp(a) | Ready::Udp(a) => Endpoint::Inet(*a),
            Ready::Unix(p) => Endpoint::Unix(p.clone()),
        }
    }
}

/// Whether the server is ready. The tables are read from
/// `/proc/thread-self/net`: `/proc/net` shows the network namespace of the
/// grader's main thread, and a test's thread has one of its own.
pub(super) fn is_ready(ready: &Ready) -> bool {
    match ready {
        Ready::Tcp(addr) => tcp_listening(*addr)
            .or_else(|| {
                socket_table_has(
                    &["/proc/thread-self/net/tcp", "/proc/thread-self/net/tcp6"],
                    *addr,
                    Some("0A"),
                )
            })
            .unwrap_or_else(|| TcpStream::connect_timeout(addr, POLL).is_ok()),
        Ready::Udp(addr) => socket_table_has(
            &["/proc/thread-self/net/udp", "/proc/thread-self/net/udp6"],
            *addr,
            None,
        )
        .unwrap_or_else(|| UdpSocket::bind(addr).is_err()),
        Ready::Unix(path) => unix_table_has(path).unwrap_or_else(|| {
            // No table to read (not Linux): a connection proves it, at the
            // cost of one empty connection the server sees close at once.
            UnixStream::connect(path).is_ok()
        }),
    }
}

/// Whether a TCP socket listens on `addr` (or on the wildcard address with
/// its port) in the calling thread's network namespace, asked of the
/// kernel's socket diagnostics (`NETLINK_SOCK_DIAG`) for listening sockets
/// only; `None` where they cannot be asked. Reading `/proc/net/tcp` instead
/// walks every bucket of the machine's table of established connections
/// (shared by all namespaces), twice (IPv4 and IPv6), at each poll: a
/// twentieth of a self-check's CPU.
fn tcp_listening(addr: SocketAddr) -> Option<bool> {
    // SAFETY: a new socket, owned at once.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            libc::NETLINK_SOCK_DIAG,
        )
    };
    if fd < 0 {
        return None;
    }
    // SAFETY: `fd` is a new descriptor nothing else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut listening = Vec::new();
    for family in [libc::AF_INET, libc::AF_INET6] {
        listening.extend(listening_sockets(&fd, family as u8)?);
    }
    Some(listening.iter().any(|local| {
        local.port() == addr.port()
            && match (local.ip(), addr.ip()) {
                (IpAddr::V4(l), IpAddr::V4(a)) => l == a || l.is_unspecified(),
                // Only the dual-stack wildcard `::` serves IPv4 too.
                (IpAddr::V6(l), IpAddr::V4(_)) => l.is_unspecified(),
                (IpAddr::V6(l), IpAddr::V6(a)) => l == a || l.is_unspecified(),
                (IpAddr::V4(_), IpAddr::V6(_)) => false,
            }
    }))
}

/// The local addresses of the listening TCP sockets of `family`, from a
/// `SOCK_DIAG_BY_FAMILY` dump on the netlink socket `fd`.
fn listening_sockets(fd: &OwnedFd, family: u8) -> Option<Vec<SocketAddr>> {
    const SOCK_DIAG_BY_FAMILY: u16 = 20;
    const TCP_LISTEN: u32 = 10;
    const HEADER: usize = 16;
    // struct nlmsghdr, then struct inet_diag_req_v2 (its socket id zero:
    // every socket of the family in the states asked for).
    let mut request = [0u8; HEADER + 56];
    let len = request.len() as u32;
    request[0..4].copy_from_slice(&len.to_ne_bytes());
    request[4..6].copy_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    let flags = (libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16;
    request[6..8].copy_from_slice(&flags.to_ne_bytes());
    request[HEADER] = family;
    request[HEADER + 1] = libc::IPPROTO_TCP as u8;
    request[HEADER + 4..HEADER + 8].copy_from_slice(&(1u32 << TCP_LISTEN).to_ne_bytes());
    // SAFETY: a send of a local buffer on our socket (to the kernel: the
    // unbound netlink socket's default destination).
    let sent = unsafe { libc::send(fd.as_raw_fd(), request.as_ptr().cast(), request.len(), 0) };
    if sent != request.len() as isize {
        return None;
    }
    let mut found = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        // SAFETY: a receive into a local buffer.
        let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n <= 0 {
            return None;
        }
        let mut at = 0;
        let n = n as usize;
        while at + HEADER <= n {
            let word = |i: usize| u32::from_ne_bytes(buf[i..i + 4].try_into().expect("4 bytes"));
            let msg_len = word(at) as usize;
            let kind = u16::from_ne_bytes([buf[at + 4], buf[at + 5]]);
            if msg_len < HEADER || at + msg_len > n {
                return None;
            }
            match kind as libc::c_int {
                libc::NLMSG_DONE => return Some(found),
                libc::NLMSG_ERROR => return None,
                _ => {}
            }
            // struct inet_diag_msg: family, state, timer, retrans, then the
            // socket id: source port (network order), destination port,
            // source address (16 bytes).
            let msg = &buf[at + HEADER..at + msg_len];
            if msg.len() >= 24 {
                let port = u16::from_be_bytes([msg[4], msg[5]]);
                let ip = match msg[0] as libc::c_int {
                    libc::AF_INET => IpAddr::V4(Ipv4Addr::new(msg[8], msg[9], msg[10], msg[11])),
                    _ => {
                        let bytes: [u8; 16] = msg[8..24].try_into().expect("16 bytes");
                        IpAddr::V6(std::net::Ipv6Addr::from(bytes))
                    }
                };
                found.push(SocketAddr::new(ip, port));
            }
            at += msg_len.next_multiple_of(4);
        }
    }
}

/// Whether `/proc/net/unix` lists a listening stream socket at `path`;
/// `None` where there is no such table.
fn unix_table_has(path: &Path) -> Option<bool> {
    let text = std::fs::read_to_string("/proc/thread-self/net/unix").ok()?;
    // A relative path is bound as given, relative to the server's directory;
    // the table shows it as the server passed it, so compare file names and
    // then make sure the socket file is the one at `path`.
    let wanted = path.as_os_str().to_string_lossy();
    let found = text.lines().skip(1).any(|line| {
        // Num RefCount Protocol Flags Type St Inode Path
        let cols: Vec<&str> = line.split_whitespace().collect();
        cols.len() >= 8
            && cols[3] == "00010000" // __SO_ACCEPTCON: listening
            && cols[4] == "0001" // SOCK_STREAM
            && (cols[7] == wanted
                // A program that bound a relative name shows it relative:
                // only then compare file names (another test's absolute
                // socket of the same name must not count).
                || !Path::new(cols[7]).is_absolute()
                    && Path::new(cols[7]).file_name() == path.file_name()
                    && path.exists())
    });
    Some(found)
}

/// The local address and state columns of every socket in `tables`;
/// `None` where there is no such table (not Linux).
fn table_entries(tables: &[&str]) -> Option<Vec<(String, String)>> {
    let mut any_table = false;
    let mut entries = Vec::new();
    for table in tables {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        any_table = true;
        for line in text.lines().skip(1) {
            let mut cols = line.split_whitespace();
            if let (Some(_), Some(local), Some(_), Some(st)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            {
                entries.push((local.to_string(), st.to_string()));
            }
        }
    }
    any_table.then_some(entries)
}

/// Whether the kernel's socket table lists a socket bound to `addr` (or to
/// the wildcard address with its port), in `state` if given. `None` where
/// there is no such table (not Linux).
fn socket_table_has(tables: &[&str], addr: SocketAddr, state: Option<&str>) -> Option<bool> {
    let entries = table_entries(tables)?;
    Some(
        entries
            .iter()
            .any(|(local, st)| state.is_none_or(|s| s == st) && local_matches(local, addr)),
    )
}

/// The local IP addresses of the UDP sockets (IPv4 and IPv6) bound to
/// `port` in the test's network namespace, from the kernel's socket
/// tables: how many sockets a program holds on a port, and whether it bound
/// the wildcard address. Empty where there is no such table (not Linux).
pub fn udp_sockets_on_port(port: u16) -> Vec<IpAddr> {
    let entries = table_entries(&["/proc/thread-self/net/udp", "/proc/thread-self/net/udp6"])
        .unwrap_or_default();
    entries
        .iter()
        .filter_map(|(local, _)| {
            let (ip_hex, port_hex) = local.rsplit_once(':')?;
            (u16::from_str_radix(port_hex, 16).ok()? == port).then(|| table_ip(ip_hex))?
        })
        .collect()
}

/// An IP address as the kernel's tables print it: 8 hex digits for IPv4,
/// 32 for IPv6, each 32-bit word in native byte order.
fn table_ip(hex: &str) -> Option<IpAddr> {
    let words: Option<Vec<[u8; 4]>> = (0..hex.len() / 8)
        .map(|i| {
            u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16)
                .ok()
                .map(u32::to_ne_bytes)
        })
        .collect();
    match (hex.len(), words?.as_slice()) {
        (8, [w]) => Some(IpAddr::V4(Ipv4Addr::from(*w))),
        (32, ws) => {
            let mut bytes = [0u8; 16];
            for (i, w) in ws.iter().enumerate() {
                bytes[i * 4..i * 4 + 4].copy_from_slice(w);
            }
            Some(IpAddr::V6(std::net::Ipv6Addr::from(bytes)))
        }
        _ => None,
    }
}

/// Matches a `/proc/net/*` local address column (`0100007F:1F90`) against
/// `addr`, accepting the wildcard address on the same port.
fn local_matches(column: &str, addr: SocketAddr) -> bool {
    let Some((ip_hex, port_hex)) = column.split_once(':') else {
        return false;
    };
    if u16::from_str_radix(port_hex, 16).ok() != Some(addr.port()) {
        return false;
    }
    let SocketAddr::V4(v4) = addr else {
        return false;
    };
    match ip_hex.len() {
        8 => u32::from_str_radix(ip_hex, 16)
            .map(|raw| {
                // The kernel prints the address's bytes as a native-endian word.
                let ip = Ipv4Addr::from(raw.to_ne_bytes());
                ip == *v4.ip() || ip.is_unspecified()
            })
            .unwrap_or(false),
        // IPv6 sockets: only the dual-stack wildcard `::` serves IPv4 too.
        32 => ip_hex.bytes().all(|b| b == b'0'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn proc_net_columns_match_addresses() {
        let addr: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let own = u32::from_ne_bytes([127, 0, 0, 1]);
        assert!(local_matches(&format!("{own:08X}:1F90"), addr));
        assert!(local_matches("00000000:1F90", addr));
        assert!(!local_matches(&format!("{own:08X}:1F91"), addr));
        let other = u32::from_ne_bytes([127, 0, 0, 2]);
        assert!(!local_matches(&format!("{other:08X}:1F90"), addr));
        assert!(local_matches("00000000000000000000000000000000:1F90", addr));
    }

    #[test]
    fn table_addresses_read_back() {
        let own = u32::from_ne_bytes([127, 0, 0, 1]);
        assert_eq!(
            table_ip(&format!("{own:08X}")),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        let wild = table_ip("00000000000000000000000000000000").unwrap();
        assert!(wild.is_unspecified() && wild.is_ipv6());
        assert_eq!(table_ip("xyz"), None);
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = udp.local_addr().unwrap().port();
        assert_eq!(
            udp_sockets_on_port(port),
            vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]
        );
    }

    #[test]
    fn a_listening_socket_is_seen_in_the_table() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        assert!(is_ready(&Ready::Tcp(addr)));
        drop(listener);
        assert!(!is_ready(&Ready::Tcp(addr)));
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        assert!(is_ready(&Ready::Udp(udp.local_addr().unwrap())));
    }

    #[test]
    fn the_kernels_diagnostics_list_listening_sockets_only() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        // A connection: its two ends are established sockets, not listed.
        let client = TcpStream::connect(addr).unwrap();
        let client_addr = client.local_addr().unwrap();
        assert_eq!(tcp_listening(addr), Some(true));
        assert_eq!(tcp_listening(client_addr), Some(false));
        let other: SocketAddr = format!("127.0.0.2:{}", addr.port()).parse().unwrap();
        assert_eq!(tcp_listening(other), Some(false));
        drop(listener);
        assert_eq!(tcp_listening(addr), Some(false));
        // The wildcard address serves every address on its port.
        let wild = TcpListener::bind("0.0.0.0:0").unwrap();
        let port = wild.local_addr().unwrap().port();
        let any: SocketAddr = format!("127.0.0.3:{port}").parse().unwrap();
        assert_eq!(tcp_listening(any), Some(true));
        // Where the machine has IPv6 loopback.
        if let Ok(v6) = TcpListener::bind("[::1]:0") {
            assert_eq!(tcp_listening(v6.local_addr().unwrap()), Some(true));
        }
    }

    #[test]
    fn a_listening_unix_socket_is_seen_in_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        assert!(!is_ready(&Ready::Unix(path.clone())));
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(is_ready(&Ready::Unix(path.clone())));
        drop(listener);
        // The file stays, but nothing listens any more.
        assert!(path.exists());
        assert!(!is_ready(&Ready::Unix(path)));
    }
}
