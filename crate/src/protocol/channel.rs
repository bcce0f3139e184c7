//! The channel between the parties: every message to the server passes through [`Channel::to_server`]
//! and comes out as [`Delivered`] — the only form in which server-side code receives anything
//! from the client or the key issuer — and every byte is counted on the way.
//!
//! A [`ServerView`](super::ServerView) is assembled by the server's half of a step
//! ([`super::engine`]) from `Delivered` messages and what the server computes from them with
//! its own model; that is what "the view exists by construction" means here: the server's
//! functions take no argument that holds the client's data or secrets.

use super::view::Traffic;

/// A message as the server received it. Only [`Channel`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered<T>(T);

impl<T> Delivered<T> {
    /// The message.
    pub fn get(&self) -> &T {
        &self.0
    }

    /// Take the message.
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// What kind of bytes crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carries {
    /// Ciphertexts (client → server).
    Ciphertexts,
    /// Function keys (authority or data owner → server).
    Keys,
    /// Plaintext to the server (labels; `Z1` under client in the loop).
    Plaintext,
}

/// Counts what crosses, step by step.
#[derive(Debug, Clone, Default)]
pub struct Channel {
    step: Traffic,
}

impl Channel {
    /// Deliver `msg` (of `bytes` bytes on the wire) to the server.
    pub fn to_server<T>(&mut self, carries: Carries, bytes: u64, msg: T) -> Delivered<T> {
        let t = &mut self.step;
        match carries {
            Carries::Ciphertexts => t.ciphertext_bytes += bytes,
            Carries::Keys => t.key_bytes += bytes,
            Carries::Plaintext => t.plaintext_to_server += bytes,
        }
        Delivered(msg)
    }

    /// Send `msg` (`bytes` bytes, plaintext) from the server to the client.
    pub fn to_client<T>(&mut self, bytes: u64, msg: T) -> T {
        self.step.plaintext_to_client += bytes;
        msg
    }

    /// The traffic of the step that ends, and a fresh count for the next.
    pub fn end_step(&mut self) -> Traffic {
        std::mem::take(&mut self.step)
    }
}
