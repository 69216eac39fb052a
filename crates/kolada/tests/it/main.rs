//! Tests of the Kolada reader on the shared real capture and on constructed responses.

mod read;
