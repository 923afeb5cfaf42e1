//! Domain values shared by the engine, the command line and the web layer.
//! Input is parsed into these types at the edge so the rest of the code can
//! trust it.

pub mod contact;
pub mod content;
pub mod event_code;
pub mod interest;
pub mod name;
pub mod profile;
pub mod screen;
pub mod secret;
pub mod text;

pub use contact::{Contact, ContactInput};
pub use content::Field;
pub use event_code::{EventCode, parse_event_name};
pub use interest::{
    InterestCount, InterestKey, count_interests, count_keyed_interests, normalize_interest,
    shared_interests,
};
pub use profile::{FieldErrors, Profile, ProfileInput, split_interest_list};
pub use secret::{AdminToken, PersonKey, Secret, TokenHash};
