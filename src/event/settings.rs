//! What the organizer can change while the event runs, and the limits of
//! each setting.

use std::ops::RangeInclusive;

/// Group sizes an organizer may choose: pairs up to a large dinner table.
pub const GROUP_SIZES: RangeInclusive<usize> = 2..=12;
/// Round lengths an organizer may choose, in minutes.
pub const ROUND_MINUTES: RangeInclusive<u32> = 1..=180;
/// Change-over between auto-rotated rounds, in seconds: time to say
/// goodbye and walk to the next table.
pub const CHANGEOVER_SECONDS: RangeInclusive<u32> = 10..=900;

/// How long attendees' personal data may be kept after the event, in
/// days: up to a year.
pub const RETENTION_DAYS: RangeInclusive<u32> = 1..=365;

/// Most table names an event may have.
pub const TABLE_NAMES_MAX: usize = 500;
/// Longest table name, in characters: it must fit a board card.
pub const TABLE_NAME_LEN: usize = 24;

/// Settings the organizer can change during the event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub group_size: usize,
    pub round_minutes: u32,
    pub registration_open: bool,
    pub max_attendees: usize,
    /// Start the next round by itself once a round is over and the
    /// change-over has passed.
    pub auto_rotate: bool,
    pub changeover_seconds: u32,
    /// Every weirdest fact waits for the organizer's approval before
    /// others see it (flagged text always does).
    pub facts_need_approval: bool,
    /// Names shown instead of table numbers ("Window", "Coffee bar"):
    /// table N gets the N-th name, if there is one.
    pub table_names: Vec<String>,
    /// Days after the event ends (or after it was created, if never ended)
    /// when everyone's answers and contact details are deleted.
    pub retention_days: u32,
}

impl Default for Settings {
    /// Groups of 4, 10-minute rounds, open, up to 5,000 people, rotation by
    /// hand with a one-minute change-over when turned on.
    fn default() -> Self {
        Settings {
            group_size: 4,
            round_minutes: 10,
            registration_open: true,
            max_attendees: 5000,
            auto_rotate: false,
            changeover_seconds: 60,
            facts_need_approval: false,
            table_names: Vec::new(),
            retention_days: 30,
        }
    }
}

/// A settings change the event cannot take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("group size must be between {min} and {max}", min = GROUP_SIZES.start(), max = GROUP_SIZES.end())]
    GroupSize,
    #[error("round length must be between {min} and {max} minutes", min = ROUND_MINUTES.start(), max = ROUND_MINUTES.end())]
    RoundMinutes,
    #[error("change-over must be between {min} and {max} seconds", min = CHANGEOVER_SECONDS.start(), max = CHANGEOVER_SECONDS.end())]
    Changeover,
    #[error(
        "table names: at most {TABLE_NAMES_MAX}, one per line, each at most {TABLE_NAME_LEN} characters"
    )]
    TableNames,
    #[error("personal data can be kept {min} to {max} days", min = RETENTION_DAYS.start(), max = RETENTION_DAYS.end())]
    RetentionDays,
}

/// A partial change of settings; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsChange {
    pub group_size: Option<usize>,
    pub round_minutes: Option<u32>,
    pub registration_open: Option<bool>,
    pub auto_rotate: Option<bool>,
    pub changeover_seconds: Option<u32>,
    pub facts_need_approval: Option<bool>,
    pub table_names: Option<Vec<String>>,
    pub retention_days: Option<u32>,
}

impl Settings {
    /// Checks the values an organizer chooses.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if !GROUP_SIZES.contains(&self.group_size) {
            return Err(SettingsError::GroupSize);
        }
        if !ROUND_MINUTES.contains(&self.round_minutes) {
            return Err(SettingsError::RoundMinutes);
        }
        if !CHANGEOVER_SECONDS.contains(&self.changeover_seconds) {
            return Err(SettingsError::Changeover);
        }
        if !RETENTION_DAYS.contains(&self.retention_days) {
            return Err(SettingsError::RetentionDays);
        }
        if self.table_names.len() > TABLE_NAMES_MAX
            || self.table_names.iter().any(|n| {
                !crate::domain::text::has_visible(n)
                    || n.chars().count() > TABLE_NAME_LEN
                    || crate::domain::text::check(n, "").is_err()
            })
        {
            return Err(SettingsError::TableNames);
        }
        Ok(())
    }

    /// What table `number` is called: its name, or "Table N".
    pub fn table_label(&self, number: usize) -> String {
        number
            .checked_sub(1)
            .and_then(|i| self.table_names.get(i))
            .cloned()
            .unwrap_or_else(|| format!("Table {number}"))
    }

    /// The settings after `change`, checked, or why not.
    pub fn changed(&self, change: &SettingsChange) -> Result<Settings, SettingsError> {
        let next = Settings {
            group_size: change.group_size.unwrap_or(self.group_size),
            round_minutes: change.round_minutes.unwrap_or(self.round_minutes),
            registration_open: change.registration_open.unwrap_or(self.registration_open),
            max_attendees: self.max_attendees,
            auto_rotate: change.auto_rotate.unwrap_or(self.auto_rotate),
            changeover_seconds: change.changeover_seconds.unwrap_or(self.changeover_seconds),
            facts_need_approval: change
                .facts_need_approval
                .unwrap_or(self.facts_need_approval),
            table_names: change
                .table_names
                .clone()
                .unwrap_or_else(|| self.table_names.clone()),
            retention_days: change.retention_days.unwrap_or(self.retention_days),
        };
        next.validate()?;
        Ok(next)
    }
}
