//! Undoing changes the data file could not take. When the store gives up
//! on a batch (see `store::writer`), the event it belongs to holds changes
//! in memory that are not on disk, and the request that made them was told
//! so (503). Each such event is put back exactly as the file has it, under
//! its lock, so memory and file agree again and nobody is left seated
//! without a token, or shown a round that would vanish at a restart.

use std::sync::{Arc, PoisonError};

use super::{AppState, EventSlot};
use crate::event::Event;

impl AppState {
    /// Puts every event with unsaved changes back as the data file has it
    /// (an event the file lacks, a creation that failed, is dropped; one
    /// whose deletion failed comes back). Blocks on the store: call it off
    /// the async threads. An event that cannot be read back stays marked
    /// and is tried again on the next call (the timers call it too).
    pub fn roll_back_unsaved(&self) {
        let store = self.store().clone();
        for code in store.unsaved_events() {
            match self.event(&code) {
                Some(slot) => {
                    let mut event = slot.event.lock().unwrap_or_else(PoisonError::into_inner);
                    match store.reload(&code) {
                        Ok(Some(loaded)) => {
                            *event = Event::restore(loaded.event);
                            let _ = event.take_changes();
                            slot.publish(&event);
                            tracing::warn!(event = %code, "changes that could not be saved were undone");
                        }
                        Ok(None) => {
                            drop(event);
                            self.0
                                .events
                                .write()
                                .unwrap_or_else(PoisonError::into_inner)
                                .remove(&code);
                            tracing::warn!(event = %code, "an event whose creation could not be saved was dropped");
                        }
                        Err(e) => {
                            tracing::error!(event = %code, error = %e, "could not read an event back to undo unsaved changes; trying again");
                        }
                    }
                }
                None => match store.reload(&code) {
                    Ok(Some(loaded)) => {
                        let join_url = self.join_url(&code);
                        let slot = EventSlot::new(
                            Event::restore(loaded.event),
                            join_url,
                            loaded.created_at,
                            loaded.serial,
                            store.clone(),
                            Arc::clone(&self.0.clock),
                        );
                        self.0
                            .events
                            .write()
                            .unwrap_or_else(PoisonError::into_inner)
                            .insert(code.clone(), Arc::new(slot));
                        tracing::warn!(event = %code, "an event whose deletion could not be saved is back");
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::error!(event = %code, error = %e, "could not read an event back to undo unsaved changes; trying again");
                    }
                },
            }
        }
    }
}
