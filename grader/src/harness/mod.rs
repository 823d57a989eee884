//! The small API every suite is written against: a suite is a list of
//! [`TestDef`]s, and each test is a function of a [`Ctx`] that returns
//! `Ok(())` or a [`Failure`] saying which property failed and why.
//!
//! Shared helpers live here once: running the program ([`Ctx::run`]),
//! starting a server and waiting until it listens ([`Ctx::start_server`]),
//! talking to it with a recorded transcript ([`Session`]), comparing text and
//! bytes ([`compare`]), and seeded random inputs ([`Rng`]).

pub mod compare;
mod ctx;
pub mod escape;
mod failure;
mod fifo;
mod freeze;
mod net;
mod rng;
mod test;

pub use ctx::{Ctx, Run, RunOutput, Running};
pub use failure::{ensure, Cause, Detail, Direction, Exchange, Failure, ResultExt, TestResult};
pub use fifo::FifoFeeder;
pub use freeze::Freeze;
pub use net::{
    udp_sockets_on_port, Datagram, Endpoint, Heard, HeldAddr, Listener, Server, Session, UdpClient,
    UnixServer,
};
pub use rng::Rng;
pub use test::{TestDef, Visibility, DEFAULT_TIMEOUT};
