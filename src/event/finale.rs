//! The closing figures of an event: what the board shows when the
//! organizer ends it. Worked out here, from the event's own records of who
//! came and who sat with whom, so the board, the JSON API and the tests
//! all read the same numbers; no HTTP and no markup.

use super::{Event, Presence};
use crate::domain::count_keyed_interests;

/// Shared interests the finale names, at most: what fits on the screen and
/// is still worth reading out.
pub const TOP_INTERESTS: usize = 5;

/// The evening in numbers. Removed attendees (taken off by the organizer)
/// are not counted as people who came; everyone else is, including those
/// who left early or have since deleted their details.
#[derive(Debug, Clone, PartialEq)]
pub struct Finale {
    /// Rounds played.
    pub rounds: usize,
    /// New connections: distinct pairs who shared a table at least once
    /// (a pair seated together twice counts once).
    pub new_pairs: usize,
    /// Pairs who both ticked "I'd like to stay in touch" with each other
    /// (and neither deleted their details since): a tick is only counted
    /// once it is returned, and nobody is named.
    pub mutual_pairs: usize,
    /// Up to [`TOP_INTERESTS`] interests held by the most people counted
    /// above, at least two each (actually shared), with how many hold
    /// them; most held first, ties alphabetical. Spelled as most of them
    /// typed it; only answers others may see are counted (nothing held
    /// for review), and erased answers are gone.
    pub top_interests: Vec<(String, usize)>,
    /// Index `k`: how many of the people met exactly `k` distinct others
    /// (shared a table with them at least once). Ends at the most anyone
    /// met; empty when nobody came.
    pub met_histogram: Vec<usize>,
    /// Of the people counted, those who came to an earlier event on this
    /// server (see `Attendee::is_regular`); erased ones are not known.
    pub regulars: usize,
}

/// One bar of the "new people met per attendee" chart: how many
/// attendees met between `from` and `to` people, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetBar {
    /// The fewest people met that this bar covers.
    pub from: usize,
    /// The most people met that this bar covers (`from` when it covers one
    /// number).
    pub to: usize,
    /// Attendees in that range.
    pub attendees: usize,
}

impl Finale {
    /// Figures with only a histogram and a number of rounds, for tests of
    /// the chart.
    #[cfg(test)]
    pub(crate) fn from_histogram(met_histogram: Vec<usize>, rounds: usize) -> Finale {
        Finale {
            rounds,
            new_pairs: 0,
            mutual_pairs: 0,
            top_interests: Vec::new(),
            regulars: 0,
            met_histogram,
        }
    }

    /// Attendees who joined and were not removed by the organizer (each
    /// is in the histogram once). Someone who deleted their details still
    /// came, so still counts.
    pub fn people(&self) -> usize {
        self.met_histogram.iter().sum()
    }

    /// The most distinct people anyone met.
    pub fn max_met(&self) -> usize {
        self.met_histogram.len().saturating_sub(1)
    }

    /// Distinct people met per person, on average (0 when nobody came).
    pub fn average_met(&self) -> f64 {
        let people = self.people();
        let met: usize = self
            .met_histogram
            .iter()
            .enumerate()
            .map(|(k, &n)| k * n)
            .sum();
        if people == 0 {
            0.0
        } else {
            met as f64 / people as f64
        }
    }

    /// The histogram as at most `most` bars covering 0 to [`Self::max_met`]
    /// without gaps (empty ranges are bars of zero attendees). Each number
    /// of people met has its own bar while they fit; beyond that they are
    /// grouped in ranges 2, 5, 10, 20, 50, … wide, starting at 0.
    pub fn bars(&self, most: usize) -> Vec<MetBar> {
        let values = self.met_histogram.len();
        let width = round_step(values, most);
        (0..values)
            .step_by(width)
            .map(|from| {
                let to = (from + width - 1).min(values - 1);
                MetBar {
                    from,
                    to,
                    attendees: self.met_histogram[from..=to].iter().sum(),
                }
            })
            .collect()
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that cuts `values` into at
/// most `most` parts (at least one): round widths for the chart's ranges
/// and round steps for its axis.
pub fn round_step(values: usize, most: usize) -> usize {
    let most = most.max(1);
    let mut scale: usize = 1;
    loop {
        for step in [1usize, 2, 5] {
            let width = step.saturating_mul(scale);
            if values.div_ceil(width) <= most {
                return width;
            }
        }
        scale = scale.saturating_mul(10);
    }
}

impl Event {
    /// The closing figures (see [`Finale`] for what each one counts).
    pub fn finale(&self) -> Finale {
        let came = || {
            self.attendees
                .iter()
                .filter(|a| a.presence != Presence::Removed)
        };
        // Distinct people each attendee met, by id.
        let mut met = vec![0usize; self.attendees.len()];
        for &(a, b) in self.met.keys() {
            for id in [a, b] {
                if let Some(n) = met.get_mut(id as usize) {
                    *n += 1;
                }
            }
        }
        let mut met_histogram: Vec<usize> = Vec::new();
        for a in came() {
            let k = met.get(a.id as usize).copied().unwrap_or(0);
            if met_histogram.len() <= k {
                met_histogram.resize(k + 1, 0);
            }
            met_histogram[k] += 1;
        }
        let top_interests = count_keyed_interests(came().map(|a| a.shown_interests()))
            .into_iter()
            .take_while(|c| c.people >= 2)
            .take(TOP_INTERESTS)
            .map(|c| (c.spelling.to_string(), c.people))
            .collect();
        Finale {
            rounds: self.rounds.len(),
            new_pairs: self.met.len(),
            mutual_pairs: self.mutual_pairs(),
            top_interests,
            met_histogram,
            regulars: came().filter(|a| a.is_regular()).count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventCode, Profile, ProfileInput, Secret};
    use crate::event::Settings;

    fn finale(met_histogram: Vec<usize>) -> Finale {
        Finale::from_histogram(met_histogram, 0)
    }

    fn bar(from: usize, to: usize, attendees: usize) -> MetBar {
        MetBar {
            from,
            to,
            attendees,
        }
    }

    #[test]
    fn each_number_met_has_its_own_bar_while_they_fit() {
        let f = finale(vec![1, 0, 0, 4]);
        assert_eq!(
            f.bars(24),
            vec![bar(0, 0, 1), bar(1, 1, 0), bar(2, 2, 0), bar(3, 3, 4)]
        );
        assert_eq!(f.max_met(), 3);
        assert_eq!(f.average_met(), 12.0 / 5.0);
    }

    #[test]
    fn many_numbers_are_grouped_in_round_ranges_that_fit() {
        // 0 to 40 people met: 41 numbers, at most 24 bars → ranges of 2.
        let mut histogram = vec![1; 41];
        histogram[40] = 7;
        let bars = finale(histogram).bars(24);
        assert_eq!(bars.len(), 21);
        assert_eq!(bars[0], bar(0, 1, 2));
        assert_eq!(bars[19], bar(38, 39, 2));
        assert_eq!(
            bars[20],
            bar(40, 40, 7),
            "the last range is cut at the most met"
        );
        // 0 to 99 in at most 12 bars → ranges of 10.
        let bars = finale(vec![1; 100]).bars(12);
        assert_eq!(bars.len(), 10);
        assert!(bars.iter().all(|b| b.to - b.from == 9 && b.attendees == 10));
        // Every attendee is in exactly one bar.
        let histogram: Vec<usize> = (0..257).map(|k| k % 7).collect();
        let total: usize = histogram.iter().sum();
        let bars = finale(histogram).bars(24);
        assert!(bars.len() <= 24);
        assert_eq!(bars.iter().map(|b| b.attendees).sum::<usize>(), total);
        assert!(bars.windows(2).all(|w| w[1].from == w[0].to + 1));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(round_step(4, 4), 1);
        assert_eq!(round_step(5, 4), 2);
        assert_eq!(round_step(9, 4), 5);
        assert_eq!(round_step(21, 4), 10);
        assert_eq!(round_step(4000, 4), 1000);
        assert_eq!(round_step(4001, 4), 2000);
        assert_eq!(round_step(0, 4), 1);
        assert_eq!(round_step(usize::MAX, 1), usize::MAX);
    }

    #[test]
    fn nobody_means_no_bars_and_no_average() {
        let f = finale(Vec::new());
        assert!(f.bars(24).is_empty());
        assert_eq!(f.max_met(), 0);
        assert_eq!(f.average_met(), 0.0);
    }

    fn profile(name: &str, interests: &[&str]) -> Profile {
        Profile::try_from(ProfileInput {
            name: name.into(),
            interests: interests.iter().map(|s| s.to_string()).collect(),
            ..ProfileInput::default()
        })
        .unwrap()
    }

    #[test]
    fn the_figures_of_a_small_evening() {
        let mut e = Event::new(
            EventCode::parse("ABCDE").unwrap(),
            "Night".into(),
            Secret::generate(),
            Settings::default(),
        );
        let people = [
            ("Ada", &["Chess", "jazz"][..]),
            ("Bob", &["chess", "Jazz"]),
            ("Cy", &["chess"]),
            ("Di", &["knitting"]),
            ("Ed", &["knitting", "chess"]),
        ];
        for (name, interests) in people {
            e.join(profile(name, interests), Secret::generate(), 0)
                .unwrap();
        }
        // Ed is removed: not counted, nor are his interests.
        e.set_presence(4, Presence::Removed);
        e.record_meetings(&[0, 1, 2]);
        e.record_meetings(&[0, 1]); // again: still one pair
        e.record_meetings(&[2, 3]);
        e.set_keep_in_touch(0, 1, true).unwrap();
        e.set_keep_in_touch(1, 0, true).unwrap();
        e.set_keep_in_touch(0, 2, true).unwrap();
        let f = e.finale();
        assert_eq!(f.people(), 4);
        assert_eq!(f.rounds, 0);
        assert_eq!(f.new_pairs, 4, "ab, ac, bc, cd");
        assert_eq!(f.mutual_pairs, 1);
        assert_eq!(
            f.top_interests,
            vec![("chess".to_string(), 3), ("jazz".to_string(), 2)],
            "knitting: Di's alone once Ed is removed"
        );
        // Ada 2, Bob 2, Cy 3, Di 1.
        assert_eq!(f.met_histogram, vec![0, 1, 2, 1]);
    }

    #[test]
    fn interests_nobody_may_see_are_not_counted() {
        let mut e = Event::new(
            EventCode::parse("ABCDE").unwrap(),
            "Night".into(),
            Secret::generate(),
            Settings::default(),
        );
        for name in ["Ada", "Bob"] {
            e.join(profile(name, &["Chess"]), Secret::generate(), 0)
                .unwrap();
        }
        assert_eq!(e.finale().top_interests, vec![("Chess".to_string(), 2)]);
        e.set_hidden(1, crate::domain::Field::Interests, true);
        assert!(e.finale().top_interests.is_empty(), "Bob's are hidden");
        e.set_hidden(1, crate::domain::Field::Interests, false);
        e.erase_attendee(0, 1);
        let f = e.finale();
        assert!(f.top_interests.is_empty(), "Ada's are erased");
        assert_eq!(f.people(), 2, "but she came");
    }
}
