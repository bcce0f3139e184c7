//! Functional encryption: groups, IPFE, FHIPE, discrete logarithms.
