//! Plots, generic over any plotters backend.
