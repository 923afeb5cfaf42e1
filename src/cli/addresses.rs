//! Which of this computer's addresses phones might reach, for the links
//! and the QR code printed at start.
//!
//! A laptop at a venue has several: the Wi-Fi's, perhaps a wired one, a
//! VPN's, container bridges (Docker, libvirt) and loopback. Phones reach
//! only an address on their own network, so the list leaves out loopback,
//! link-local and container bridges, puts the address the system routes
//! through first (most likely the Wi-Fi), private LAN addresses before
//! others, IPv4 before IPv6, and VPN addresses last (a phone reaches them
//! only if it is on the same VPN). [`candidates`] is a pure function of
//! the interfaces, so the choice is tested without the machine's own.

use std::net::{IpAddr, Ipv4Addr, UdpSocket};

/// One address of one network interface, as the system lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetInterface {
    /// The interface's name (`en0`, `wlan0`, `Wi-Fi`, `docker0`): shown
    /// beside the address, so the organizer recognises the Wi-Fi.
    pub name: String,
    pub ip: IpAddr,
}

/// What kind of network an address is on, as far as phones go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A local network (Wi-Fi, Ethernet): phones on it can reach this.
    Lan,
    /// A VPN or overlay (Tailscale, WireGuard, corporate VPN): only phones
    /// on the same VPN reach it.
    Vpn,
}

/// An address phones might reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub ip: IpAddr,
    /// The interface it belongs to.
    pub interface: String,
    pub kind: Kind,
}

/// The addresses worth printing, most likely first, and the container
/// bridges left out (named, so an organizer who wonders about them sees
/// they were considered).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressList {
    pub usable: Vec<Candidate>,
    /// Interface names left out as container or virtual-machine bridges,
    /// each once.
    pub bridges: Vec<String>,
}

impl AddressList {
    /// The address the QR code and the links use when no `--public-url`
    /// is given: the first usable one.
    pub fn chosen(&self) -> Option<&Candidate> {
        self.usable.first()
    }
}

/// Interface names of container and virtual-machine bridges: they exist
/// on this computer only, so no phone can reach them.
const BRIDGE_PREFIXES: [&str; 15] = [
    "docker",
    "br-",
    "veth",
    "virbr",
    "cni",
    "flannel",
    "cali",
    "vboxnet",
    "vmnet",
    "lxcbr",
    "lxdbr",
    "podman",
    "kube",
    "weave",
    "vethernet",
];

/// Interface names of VPNs and overlays (tunnels, WireGuard, Tailscale,
/// ZeroTier, PPP, Cisco and Palo Alto clients).
const VPN_PREFIXES: [&str; 11] = [
    "tun",
    "tap",
    "utun",
    "wg",
    "tailscale",
    "ppp",
    "ipsec",
    "zt",
    "nordlynx",
    "cscotun",
    "gpd",
];

fn starts_with_any(name: &str, prefixes: &[&str]) -> bool {
    let name = name.to_ascii_lowercase();
    prefixes.iter().any(|p| name.starts_with(p))
}

/// Addresses no other device can use: loopback, unspecified, link-local
/// (169.254/16, fe80::/10, which a phone reaches only without a router and
/// with the interface named), multicast.
fn unreachable(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_unspecified() || v4.is_link_local() || v4.is_multicast()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Addresses of overlay networks whatever the interface is called:
/// 100.64.0.0/10 (carrier-grade NAT, used by Tailscale) and Tailscale's
/// IPv6 range fd7a:115c:a1e0::/48.
fn overlay_range(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            a == 100 && (64..128).contains(&b)
        }
        IpAddr::V6(v6) => v6.segments()[..3] == [0xfd7a, 0x115c, 0xa1e0],
    }
}

/// RFC 1918 IPv4 and unique-local IPv6 (fc00::/7): the addresses venue
/// and home networks hand out.
fn private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

/// The addresses worth offering from `interfaces`, most likely first.
/// `routed` is the address the system would send from to reach the
/// internet (see [`routed_address`]): the network it routes through is
/// most likely the one the phones are on too, unless it is a VPN's.
///
/// IPv6 addresses come after every IPv4 one (guest Wi-Fi is often
/// IPv4-only, and an IPv4 URL is shorter to type), one per interface
/// (systems give an interface several, temporary ones included).
pub fn candidates(interfaces: &[NetInterface], routed: Option<IpAddr>) -> AddressList {
    let mut list = AddressList::default();
    let mut ranked = Vec::new();
    for (order, interface) in interfaces.iter().enumerate() {
        if unreachable(interface.ip) {
            continue;
        }
        if starts_with_any(&interface.name, &BRIDGE_PREFIXES) {
            if !list.bridges.contains(&interface.name) {
                list.bridges.push(interface.name.clone());
            }
            continue;
        }
        let kind = if starts_with_any(&interface.name, &VPN_PREFIXES) || overlay_range(interface.ip)
        {
            Kind::Vpn
        } else {
            Kind::Lan
        };
        let v6 = interface.ip.is_ipv6();
        let duplicate = ranked.iter().any(|(_, c): &(_, Candidate)| {
            c.ip == interface.ip || (v6 && c.ip.is_ipv6() && c.interface == interface.name)
        });
        if duplicate {
            continue;
        }
        let rank = (
            kind == Kind::Vpn,
            v6,
            Some(interface.ip) != routed,
            !private(interface.ip),
            order,
        );
        ranked.push((
            rank,
            Candidate {
                ip: interface.ip,
                interface: interface.name.clone(),
                kind,
            },
        ));
    }
    ranked.sort_by_key(|(rank, _)| *rank);
    list.usable = ranked.into_iter().map(|(_, c)| c).collect();
    list
}

/// The source address the system would use to reach the internet (no
/// packet is sent), if there is a route at all.
pub fn routed_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    Some(socket.local_addr().ok()?.ip())
}

/// This computer's interfaces and their addresses, as the system lists
/// them (empty if it cannot say).
pub fn local_interfaces() -> Vec<NetInterface> {
    if_addrs::get_if_addrs()
        .map(|interfaces| {
            interfaces
                .into_iter()
                .map(|i| NetInterface {
                    ip: i.ip(),
                    name: i.name,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `http://192.168.1.20:8080`, or `http://[2001:db8::5]:8080`.
pub fn base_url(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}"),
        IpAddr::V4(v4) => format!("http://{v4}:{port}"),
    }
}

/// The lines printed at start about the addresses: one per usable
/// address with its interface, which one the QR code uses (none when
/// `public_url` is given: then it says so), the bridges left out, and how
/// to pick another.
pub fn describe(list: &AddressList, port: u16, public_url: Option<&str>) -> Vec<String> {
    let mut lines = Vec::new();
    match public_url {
        Some(url) => lines.push(format!(
            "The QR code and links use --public-url {url}. This computer's own addresses:"
        )),
        None if list.usable.is_empty() => lines.push(
            "No network found: only this computer can open the links. Connect to the venue's \
             Wi-Fi (or a phone hotspot) and restart."
                .to_string(),
        ),
        None => lines.push(
            "Addresses of this computer that phones may reach (the QR code uses the first):"
                .to_string(),
        ),
    }
    let width = list
        .usable
        .iter()
        .map(|c| base_url(c.ip, port).len())
        .max()
        .unwrap_or(0);
    for (i, c) in list.usable.iter().enumerate() {
        let url = base_url(c.ip, port);
        let note = match (c.kind, i == 0 && public_url.is_none()) {
            (Kind::Lan, true) => "  <- the QR code",
            (Kind::Vpn, true) => {
                "  <- the QR code; a VPN address: only phones on the same VPN reach it"
            }
            (Kind::Lan, false) => "",
            (Kind::Vpn, false) => "  VPN: only phones on the same VPN reach it",
        };
        lines.push(format!("  {url:<width$}  {}{note}", c.interface));
    }
    if !list.bridges.is_empty() {
        lines.push(format!(
            "  Not listed: {} (container or virtual-machine bridges; phones cannot reach them)",
            list.bridges.join(", ")
        ));
    }
    if public_url.is_none() && list.usable.len() > 1 {
        lines.push(format!(
            "  To use another, restart with --public-url http://ADDRESS:{port}"
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interface(name: &str, ip: &str) -> NetInterface {
        NetInterface {
            name: name.to_string(),
            ip: ip.parse().unwrap(),
        }
    }

    fn ips(list: &AddressList) -> Vec<String> {
        list.usable.iter().map(|c| c.ip.to_string()).collect()
    }

    /// A developer's laptop at a venue: Docker, libvirt, a Tailscale
    /// node, loopback, link-local and two IPv6 addresses on the Wi-Fi.
    fn laptop() -> Vec<NetInterface> {
        vec![
            interface("lo", "127.0.0.1"),
            interface("lo", "::1"),
            interface("docker0", "172.17.0.1"),
            interface("br-5f3a9c", "172.18.0.1"),
            interface("veth12ab", "fe80::1c2d:3eff:fe4f:5a6b"),
            interface("virbr0", "192.168.122.1"),
            interface("tailscale0", "100.101.102.103"),
            interface("wlp2s0", "fe80::aaaa:bbbb:cccc:dddd"),
            interface("wlp2s0", "2001:db8::1234"),
            interface("wlp2s0", "2001:db8::abcd"),
            interface("enp0s31f6", "10.0.0.7"),
            interface("wlp2s0", "192.168.1.20"),
            interface("eth1", "169.254.10.20"),
        ]
    }

    #[test]
    fn the_routed_lan_address_comes_first_and_the_rest_are_ranked() {
        let list = candidates(&laptop(), "192.168.1.20".parse().ok());
        assert_eq!(
            ips(&list),
            [
                "192.168.1.20",
                "10.0.0.7",
                "2001:db8::1234",
                "100.101.102.103"
            ]
        );
        assert_eq!(list.chosen().unwrap().interface, "wlp2s0");
        assert_eq!(list.usable[3].kind, Kind::Vpn);
        assert_eq!(list.bridges, ["docker0", "br-5f3a9c", "virbr0"]);
    }

    #[test]
    fn a_vpn_carrying_the_default_route_is_not_chosen() {
        let mut interfaces = laptop();
        interfaces.push(interface("utun3", "10.8.0.3"));
        let list = candidates(&interfaces, "10.8.0.3".parse().ok());
        assert_eq!(list.chosen().unwrap().ip.to_string(), "10.0.0.7");
        // Listed with the other VPNs at the end, marked as one.
        let vpn = list
            .usable
            .iter()
            .position(|c| c.interface == "utun3")
            .unwrap();
        assert_eq!(list.usable[vpn].kind, Kind::Vpn);
        assert!(list.usable[vpn..].iter().all(|c| c.kind == Kind::Vpn));
    }

    #[test]
    fn private_addresses_come_before_public_ones_without_a_route() {
        let list = candidates(
            &[
                interface("eth0", "203.0.113.9"),
                interface("Wi-Fi", "192.168.0.14"),
            ],
            None,
        );
        assert_eq!(ips(&list), ["192.168.0.14", "203.0.113.9"]);
    }

    #[test]
    fn only_loopback_and_bridges_leave_nothing_to_choose() {
        let list = candidates(
            &[
                interface("lo0", "127.0.0.1"),
                interface("docker0", "172.17.0.1"),
                interface("vEthernet (WSL)", "172.29.0.1"),
            ],
            None,
        );
        assert!(list.chosen().is_none());
        assert_eq!(list.bridges, ["docker0", "vEthernet (WSL)"]);
        let lines = describe(&list, 8080, None);
        assert!(lines[0].starts_with("No network found"), "{lines:?}");
    }

    #[test]
    fn the_description_marks_the_qr_address_or_the_public_url() {
        let list = candidates(&laptop(), "192.168.1.20".parse().ok());
        let lines = describe(&list, 8080, None);
        let qr: Vec<_> = lines.iter().filter(|l| l.contains("the QR code")).collect();
        assert_eq!(qr.len(), 2, "the heading and one address: {lines:?}");
        assert!(lines[1].contains("http://192.168.1.20:8080") && lines[1].contains("wlp2s0"));
        assert!(lines[1].ends_with("<- the QR code"));
        assert!(lines[3].contains("http://[2001:db8::1234]:8080"));
        assert!(lines[4].contains("tailscale0") && lines[4].contains("VPN"));
        assert!(lines.iter().any(|l| l.contains("Not listed: docker0")));
        assert!(
            lines
                .last()
                .unwrap()
                .contains("--public-url http://ADDRESS:8080")
        );

        let lines = describe(&list, 8080, Some("https://meet.example.org"));
        assert!(lines[0].contains("--public-url https://meet.example.org"));
        assert!(!lines.iter().skip(1).any(|l| l.contains("QR code")));
    }
}
