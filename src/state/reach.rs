//! Is anyone getting through? Whether a phone has loaded an event's join
//! page since this server started, so the board's lobby and the console
//! can say so live, and a checklist when none has a few minutes after the
//! board was opened (guest Wi-Fi that isolates clients, a dismissed
//! firewall prompt, a VPN's or container bridge's address in the QR code).
//!
//! "A phone" is a device other than this computer: visits from this
//! computer's own addresses (see [`super::AppState::set_this_computer`])
//! prove nothing about the network, so they are not counted. Times are
//! the injected clock's.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use crate::event::Millis;

/// How long after the board was opened, with no phone yet, the console
/// shows the checklist: enough to walk round with the QR code, short
/// enough to fix things before the doors open.
pub const CHECKLIST_AFTER: Millis = 3 * 60_000;

/// Not set yet, in the atomics below.
const NEVER: Millis = Millis::MIN;

/// One event's reach since this server started. Lock-free: the join page
/// notes a visit with one atomic load after the first.
#[derive(Debug)]
pub struct Reach {
    /// When the board was first opened (page or live stream).
    board_opened_at: AtomicI64,
    /// When a phone first loaded the join page.
    first_phone_at: AtomicI64,
    /// Set once the checklist has been announced (republished and logged),
    /// so the timer does it once.
    checklist_announced: AtomicBool,
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            board_opened_at: AtomicI64::new(NEVER),
            first_phone_at: AtomicI64::new(NEVER),
            checklist_announced: AtomicBool::new(false),
        }
    }
}

/// What the lobby and the console say about phones getting through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReachStatus {
    /// No phone yet, and it is early (or the board is not open yet).
    Waiting,
    /// A phone loaded the join page at `at`.
    PhoneArrived { at: Millis },
    /// No phone [`CHECKLIST_AFTER`] after the board was opened at
    /// `board_opened_at`: time for the checklist.
    NoPhoneYet { board_opened_at: Millis },
}

fn get(cell: &AtomicI64) -> Option<Millis> {
    Some(cell.load(Ordering::Acquire)).filter(|&t| t != NEVER)
}

impl Reach {
    /// Notes that the board was opened at `now`; true the first time.
    pub fn board_opened(&self, now: Millis) -> bool {
        self.board_opened_at
            .compare_exchange(NEVER, now, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Notes that a phone loaded the join page at `now`; true the first
    /// time.
    pub fn phone_arrived(&self, now: Millis) -> bool {
        get(&self.first_phone_at).is_none()
            && self
                .first_phone_at
                .compare_exchange(NEVER, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
    }

    /// Where things stand at `now`.
    pub fn status(&self, now: Millis) -> ReachStatus {
        if let Some(at) = get(&self.first_phone_at) {
            return ReachStatus::PhoneArrived { at };
        }
        match get(&self.board_opened_at) {
            Some(opened) if now.saturating_sub(opened) >= CHECKLIST_AFTER => {
                ReachStatus::NoPhoneYet {
                    board_opened_at: opened,
                }
            }
            _ => ReachStatus::Waiting,
        }
    }

    /// True once, the first time the checklist is due at `now`: the timer
    /// then republishes the event so the console shows it, and logs it.
    pub fn checklist_just_due(&self, now: Millis) -> bool {
        matches!(self.status(now), ReachStatus::NoPhoneYet { .. })
            && !self.checklist_announced.swap(true, Ordering::AcqRel)
    }
}

/// Whether a request from `peer` comes from a phone rather than this
/// computer: `this_computer` lists this computer's own addresses (empty:
/// every visit counts, as behind a proxy or tunnel, where every request
/// arrives from the proxy).
pub fn from_a_phone(peer: Option<IpAddr>, this_computer: &[IpAddr]) -> bool {
    match peer {
        Some(ip) => !this_computer.contains(&ip.to_canonical()),
        None => this_computer.is_empty(),
    }
}

impl super::AppState {
    /// Tells the state this computer's own addresses, whose visits are not
    /// counted as phones (the command line sets them once at start; a
    /// second call changes nothing). Left unset behind a proxy or tunnel.
    pub fn set_this_computer(&self, addresses: Vec<IpAddr>) {
        let _first = self.0.this_computer.set(addresses);
    }

    /// Notes a visit to `slot`'s join page from `peer`: the first from a
    /// phone republishes the event, so the lobby and the console show it
    /// at once.
    pub fn note_join_page(&self, slot: &super::EventSlot, peer: Option<IpAddr>) {
        let here = self.0.this_computer.get().map_or(&[][..], Vec::as_slice);
        if from_a_phone(peer, here) && slot.reach.phone_arrived(self.now()) {
            tracing::info!(event = %slot.code, "the first phone has loaded the join page");
            slot.republish();
        }
    }

    /// Notes that `slot`'s board was opened (its page or live stream).
    pub fn note_board_opened(&self, slot: &super::EventSlot) {
        if slot.reach.board_opened(self.now()) {
            tracing::info!(event = %slot.code, "the board is open");
        }
    }

    /// Republishes (and logs) every event whose checklist has just become
    /// due, so their consoles show it; called by the timer.
    pub(super) fn announce_checklists(&self, now: Millis) {
        for slot in self.events() {
            // An event people already joined (before a restart, say) has
            // shown that phones get through.
            if slot.read().attendees().is_empty() && slot.reach.checklist_just_due(now) {
                tracing::warn!(
                    event = %slot.code,
                    join_url = %slot.join_url,
                    "no phone has loaded the join page {} minutes after the board opened: \
                     are the phones on the same Wi-Fi as this computer? Guest Wi-Fi often \
                     isolates devices (use a phone hotspot, or a tunnel with --public-url); \
                     did a firewall prompt get dismissed? is the address above the right one?",
                    CHECKLIST_AFTER / 60_000
                );
                slot.republish();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: Millis = 1_795_719_600_000;

    #[test]
    fn the_checklist_is_due_three_minutes_after_the_board_opened() {
        let reach = Reach::default();
        assert_eq!(reach.status(START + CHECKLIST_AFTER), ReachStatus::Waiting);
        assert!(reach.board_opened(START));
        assert!(!reach.board_opened(START + 1), "the first opening counts");
        assert_eq!(
            reach.status(START + CHECKLIST_AFTER - 1),
            ReachStatus::Waiting
        );
        assert!(!reach.checklist_just_due(START + CHECKLIST_AFTER - 1));
        let due = START + CHECKLIST_AFTER;
        assert_eq!(
            reach.status(due),
            ReachStatus::NoPhoneYet {
                board_opened_at: START
            }
        );
        assert!(reach.checklist_just_due(due));
        assert!(!reach.checklist_just_due(due + 1), "announced once");
        assert!(reach.phone_arrived(due + 5));
        assert!(!reach.phone_arrived(due + 9));
        assert_eq!(
            reach.status(due + 10),
            ReachStatus::PhoneArrived { at: due + 5 }
        );
    }

    #[test]
    fn visits_from_this_computer_are_not_phones() {
        let here: Vec<IpAddr> = vec![
            "127.0.0.1".parse().unwrap(),
            "192.168.1.20".parse().unwrap(),
        ];
        let phone: IpAddr = "192.168.1.57".parse().unwrap();
        assert!(from_a_phone(Some(phone), &here));
        assert!(!from_a_phone(Some("192.168.1.20".parse().unwrap()), &here));
        assert!(!from_a_phone(
            Some("::ffff:127.0.0.1".parse().unwrap()),
            &here
        ));
        assert!(from_a_phone(Some(phone), &[]));
        assert!(!from_a_phone(None, &here));
    }
}
