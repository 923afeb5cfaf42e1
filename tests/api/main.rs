//! The event server over real HTTP: every test starts its own server on a
//! random port with a manual clock and talks to it like a browser or a
//! script would.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

mod apart;
mod api_attendees;
mod auth;
mod board;
mod console;
mod exports;
mod finale;
mod helpers;
mod join_form;
mod limits;
mod live;
mod memory;
mod met;
mod names;
mod pages;
mod phone;
mod planner;
mod reach;
mod rounds;
mod safeguards;
mod signs;
mod timer;
