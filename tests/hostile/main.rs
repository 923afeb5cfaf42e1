//! Hostile input against every endpoint: bodies over the limit, broken
//! encodings and JSON, markup and formulas in every text field, control,
//! bidi and invisible characters, path traversal, forged credentials,
//! malformed codes and ids, wrong methods and malformed HTTP. Each must get
//! a clear 4xx with a message (JSON under `/api`), never a 500, never
//! unescaped output, and the server keeps serving with nothing stored lost.
//! Also the security headers and cookie flags on every kind of answer.
//!
//! Requests the `url` crate would normalise (`..`, `%2e%2e`) or reqwest
//! would refuse to send go over a plain TCP socket ([`raw`]).

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

#[path = "../api/helpers.rs"]
#[allow(dead_code)] // this binary uses only some of the API tests' helpers
mod helpers;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use helpers::*;
use reqwest::header::HeaderValue;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

mod bodies;
mod caching;
mod credentials;
mod csrf;
mod formulas;
mod ids;
mod markup;
mod methods;
mod revocation;
mod slow;
mod small;
mod support;
mod text;
mod wire;

use bodies::*;
use formulas::*;
use markup::*;
use support::*;
