//! Icebreaker: rotating small-group matching for in-person networking events.
//!
//! The library holds everything; `main.rs` only parses the command line and
//! dispatches. Modules:
//! - [`domain`]: values parsed at the edge (interests and their normalisation).
//! - [`event`]: the live state of one event (attendees, rounds, seating).
//! - [`matching`]: the pure matching engine (no I/O, no clock, seeded randomness).
//! - [`deadline`]: the wall-clock budget handed to the engine by callers.
//! - [`cli`]: the command line, including `icebreaker plan`.
//! - [`logging`]: the server's log (tracing), never with a secret in it.
//! - [`vcard`]: contact cards of the people someone chose to stay in touch with.

pub mod assets;
pub mod budget;
pub mod cli;
pub mod clock;
pub mod deadline;
pub mod domain;
pub mod event;
pub mod export;
pub mod limits;
pub mod logging;
pub mod matching;
pub mod origin;
pub mod qr;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod vcard;
pub mod views;
