//! Readiness from the kernel's socket tables (`/proc/thread-self/net/*`):
//! whether a server listens on an address or a Unix socket path, or holds
//! a UDP socket bound to an address.
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
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
        Ready::Tcp(addr) => socket_table_has(
            &["/proc/thread-self/net/tcp", "/proc/thread-self/net/tcp6"],
            *addr,
            Some("0A"),
        )
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
