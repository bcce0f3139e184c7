//! The parties as types: authority, client, server.
