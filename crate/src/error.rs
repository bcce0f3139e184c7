//! One error type for the whole core. Every failure that can come from data crossing a boundary
//! (a canvas, a file, a serialized key, an LP) is a variant with a message a person can act on.

use thiserror::Error as ThisError;

/// Errors of the glasslayer core.
#[derive(Debug, ThisError, Clone, PartialEq)]
pub enum Error {
    /// The input is malformed (wrong length, out-of-range value, bad parameter).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The canvas holds no ink: there is nothing to encrypt or attack.
    #[error("draw a digit first: the canvas is empty")]
    EmptyCanvas,
    /// A discrete logarithm was outside the signed range the table covers.
    #[error("discrete log out of range: the value is outside [-{bound}, {bound}]")]
    DlogOutOfRange { bound: u64 },
    /// Bytes that should encode a group element, key or ciphertext do not.
    #[error("decoding failed: {0}")]
    Decode(String),
    /// A linear program did not reach an optimal/feasible point.
    #[error("LP solver: {0}")]
    Solver(String),
    /// A data file is missing or corrupt.
    #[error("data: {0}")]
    Data(String),
    /// A size, count or bound is over one of the documented caps of [`crate::limits`] (or its
    /// computation would overflow).
    #[error("{} {value} is over the limit {max}", limit.what())]
    Limit {
        /// Which cap.
        limit: crate::limits::Limit,
        /// The value asked for (`u64::MAX` when it does not even fit).
        value: u64,
        /// The cap.
        max: u64,
    },
    /// The operation was cancelled by the caller.
    #[error("cancelled")]
    Cancelled,
}

/// Result alias for the core.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidInput(msg.into())
    }
}
