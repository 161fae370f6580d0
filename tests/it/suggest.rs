//! `glossator suggest`: names of known entities written without their link.
