//! Abuse limits: how fast one client may change things, and how many live
//! streams it may hold open. A whole venue often shares one public address
//! (the Wi-Fi's NAT), so the limits are generous — hundreds of joins a
//! minute from one address pass — and exist to stop scripts, not people.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use actix_governor::governor::NotUntil;
use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::{
    GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use actix_web::http::Method;
use actix_web::{HttpResponse, HttpResponseBuilder};

/// The limits a server runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Changes (POST, PATCH, DELETE) one address may make per minute, on
    /// average; 0 turns the limit off (load tests from one machine).
    pub writes_per_minute: u32,
    /// How many changes one address may make at once before the average
    /// applies: a room of phones behind one NAT joining together.
    pub write_burst: u32,
    /// Live streams one address may hold open at once.
    pub streams_per_client: u32,
    /// Live streams open at once in all (0: no limit of its own); set from
    /// the open-files budget (see `budget`).
    pub streams_total: u32,
    /// Connections one address may hold open at once (0: no limit), so one
    /// address cannot take every file handle; set from the budget.
    pub connections_per_client: u32,
    /// Connections open at once in all (0: the framework's own cap).
    pub connections_total: u32,
    /// How long a request body may take to arrive once its headers have:
    /// a client trickling a body a byte at a time would otherwise hold a
    /// connection (and a file handle) for as long as it likes.
    pub body_timeout: std::time::Duration,
}

impl Default for Limits {
    /// 1,200 changes a minute (20 a second) after a burst of 600, 2,000
    /// open streams per address, and 10 s for a body (a form is a few
    /// kilobytes: even a phone on poor Wi-Fi sends it in well under that).
    fn default() -> Self {
        Limits {
            writes_per_minute: 1200,
            write_burst: 600,
            streams_per_client: 2000,
            streams_total: 0,
            connections_per_client: 0,
            connections_total: 0,
            body_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// Limits by the client's address (IPv6 by its /56, which one customer
/// usually has), answering 429 in the API's JSON error shape.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress;

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<IpAddr, Self::KeyExtractionError> {
        req.peer_addr()
            .map(|a| client_key(a.ip()))
            .ok_or_else(|| SimpleKeyExtractionError::new("the client's address is unknown"))
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        mut response: HttpResponseBuilder,
    ) -> HttpResponse {
        // Whole seconds, rounded up, and the same in the header as in the
        // message (the limiter's own header rounds down, often to 0).
        let wait = negative
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            + 1;
        let seconds = wait.to_string();
        response.insert_header(("retry-after", seconds.as_str()));
        response.insert_header(("x-ratelimit-after", seconds.as_str()));
        response.json(serde_json::json!({
            "error": format!("too many requests from your address; try again in {wait} s"),
            "fields": {},
        }))
    }
}

/// The address limits count by: IPv6 addresses by their /56.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            octets[7..].fill(0);
            IpAddr::V6(octets.into())
        }
        v4 => v4,
    }
}

/// The rate limiter for changes. Turned off (`writes_per_minute` 0), it
/// allows billions a second: nothing a client can reach. `None` only if the
/// numbers cannot make a limiter.
pub fn write_limiter(
    limits: &Limits,
) -> Option<GovernorConfig<ClientAddress, NoOpMiddleware<QuantaInstant>>> {
    let mut builder = GovernorConfigBuilder::default();
    if limits.writes_per_minute == 0 {
        builder.nanoseconds_per_request(1).burst_size(u32::MAX);
    } else {
        builder
            .requests_per_minute(u64::from(limits.writes_per_minute))
            .burst_size(limits.write_burst.max(1));
    }
    builder
        .methods(vec![
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
        ])
        .key_extractor(ClientAddress)
        .finish()
}

/// Open live streams (or connections) per client address, and in all.
#[derive(Debug, Clone, Default)]
pub struct StreamCounter(Arc<Mutex<Counts>>);

#[derive(Debug, Default)]
struct Counts {
    by_address: HashMap<IpAddr, u32>,
    total: u32,
}

/// One open stream; counted until dropped (when the stream ends).
#[derive(Debug)]
pub struct StreamPermit {
    counter: StreamCounter,
    key: IpAddr,
}

impl StreamCounter {
    /// A permit for one more stream from `ip`, unless it already holds
    /// `max` (0: no limit).
    pub fn open(&self, ip: IpAddr, max: u32) -> Option<StreamPermit> {
        self.open_within(ip, max, 0)
    }

    /// A permit for one more from `ip`, unless it already holds `max`, or
    /// `total` are open from everyone (0: no limit).
    pub fn open_within(&self, ip: IpAddr, max: u32, total: u32) -> Option<StreamPermit> {
        let key = client_key(ip);
        let mut open = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if total > 0 && open.total >= total {
            return None;
        }
        let count = open.by_address.entry(key).or_insert(0);
        if max > 0 && *count >= max {
            return None;
        }
        *count += 1;
        open.total += 1;
        Some(StreamPermit {
            counter: self.clone(),
            key,
        })
    }
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut open = self
            .counter
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let emptied = match open.by_address.get_mut(&self.key) {
            Some(count) => {
                *count = count.saturating_sub(1);
                *count == 0
            }
            None => false,
        };
        if emptied {
            open.by_address.remove(&self.key);
        }
        open.total = open.total.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_counted_per_address_and_released() {
        let counter = StreamCounter::default();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let a = counter.open(ip, 2).unwrap();
        let _b = counter.open(ip, 2).unwrap();
        assert!(counter.open(ip, 2).is_none(), "a third is refused");
        assert!(counter.open("10.0.0.2".parse().unwrap(), 2).is_some());
        drop(a);
        assert!(
            counter.open(ip, 2).is_some(),
            "a closed stream frees its place"
        );
    }

    #[test]
    fn a_total_caps_everyone_together() {
        let counter = StreamCounter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = counter.open_within(a, 0, 2).unwrap();
        let _second = counter.open_within(b, 0, 2).unwrap();
        assert!(
            counter.open_within(b, 0, 2).is_none(),
            "the total is reached"
        );
        drop(first);
        assert!(counter.open_within(a, 0, 2).is_some());
    }

    #[test]
    fn ipv6_counts_by_prefix() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
    }
}
