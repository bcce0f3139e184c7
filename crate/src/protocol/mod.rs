//! Training protocols (CryptoNN, FENet, client-in-the-loop, FHIPE) and the server's view.
