//! The small API every suite is written against: a suite is a list of
//! [`TestDef`]s, and each test is a function of a [`Ctx`] that returns
//! `Ok(())` or a [`Failure`] saying which property failed and why.
//!
//! What a suite author needs, in the order they need it:
//!
//! 1. Declaring tests: [`TestDef::visible`] / [`TestDef::hidden`] (hidden
//!    ones go in the suite's `hidden.rs`), with `.clauses`, `.timeout`.
//! 2. Inputs: files in the test's directory ([`Ctx::write`], [`Ctx::mkdir`];
//!    a large one: [`Ctx::write_large`]), seeded random data ([`Ctx::rng`],
//!    [`Rng::bytes`], [`Rng::word`]), the sizes around common buffer sizes
//!    ([`BOUNDARY_SIZES`]).
//! 3. Running a program: [`Ctx::command`] (none: [`Ctx::command_no_args`]),
//!    [`Ctx::run`], [`Run::expect_refusal`], [`RunOutput`]; one that keeps
//!    running: [`Run::start`] and [`Running`].
//! 4. Addresses: [`Ctx::addr`] (a fresh loopback address per test),
//!    [`Ctx::free_port`]; one already taken, for the refusal tests:
//!    [`Ctx::held_tcp_addr`], [`Ctx::held_udp_addr`],
//!    [`Ctx::expect_addr_refusals`].
//! 5. A student's server: [`Ctx::start_server`], [`Ctx::start_udp_server`],
//!    [`Ctx::start_unix_server`] wait until it listens; [`Server`] /
//!    [`UnixServer`]; [`Server::or_exit`] explains a failure by the
//!    server's exit; [`Server::pieces_command`] reproduces a send in pieces.
//! 6. Talking to it: [`Ctx::connect`] / [`Ctx::connect_waiting`] give a
//!    [`Session`] (TCP or Unix) that records its transcript:
//!    [`Session::send_expect`], [`Session::echo`], [`Session::expect_bytes`],
//!    [`Session::recv_line`], [`Session::wait_silent`] (no reply for a
//!    while: [`Heard`]), [`Session::expect_closed`], [`Session::reset`]. Over
//!    UDP: [`Ctx::udp_client`] and [`UdpClient`]; which UDP sockets a
//!    program holds: [`udp_sockets_on_port`].
//! 7. A student's client: [`Ctx::listen`] gives a [`Listener`];
//!    [`Listener::accept_from`] waits for the running program to connect.
//! 8. Comparing and failing: [`compare`], [`ensure`], [`Failure`],
//!    [`ResultExt::context`].
//! 9. Words: every sentence a suite writes for a person is [`say`]`(key)`
//!    with `.arg(name, value)` for the data it quotes, the key in the suite's
//!    catalog files `grader/i18n/{en,zh}/suites/<exercise>.ftl` (a situation
//!    `.context(say(…))`, a property `Failure::mismatch(say(…))`, a note
//!    `f.say(say(…))`, a label `.text(say(…), …)`); the harness's helpers
//!    take these phrases, so the reader sees them in their language. Words
//!    inside quoted data (a listing's `(empty)`, a log's `connects`) are
//!    lines of a [`Quoted`]: `Quoted::lines(vec![Sentence::plain(data),
//!    say(…).arg(…).into()])`, the data plain, the words a phrase.
pub mod compare;
mod ctx;
pub mod descriptors;
mod failure;
mod fifo;
mod freeze;
mod net;
mod rng;
pub mod stop;
mod test;

pub use crate::model::escape;
pub use crate::model::{
    Cause, Detail, Direction, Exchange, Failure, Label, Program, Quoted, Stream, Visibility,
};
pub use ctx::{Ctx, Run, RunOutput, Running, BOUNDARY_SIZES};
pub use failure::{ensure, say, ResultExt, TestResult};
pub use fifo::FifoFeeder;
pub use freeze::Freeze;
pub use net::{
    udp_sockets_on_port, Datagram, Endpoint, Heard, HeldAddr, Listener, Server, Session, UdpClient,
    UnixServer,
};
pub use rng::Rng;
pub use test::{TestDef, DEFAULT_TIMEOUT};
