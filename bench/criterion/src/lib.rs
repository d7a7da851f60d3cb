//! criterion benchmarks of kmswatch's engines: `benches/` holds them, and
//! BENCHMARKS.md their commands and figures. The library is empty.
