//! Domain values shared by the engine, the command line and (later) the web
//! layer. Input is parsed into these types at the edge so the rest of the code
//! can trust it.

pub mod interest;

pub use interest::{InterestKey, normalize_interest};
