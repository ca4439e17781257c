// A realistic migration history for tests that apply a whole set: a forum service
// grown over years, in the shape of long-lived public projects (tables created and
// then widened, indexed, constrained, backfilled, renamed and retyped; enums that
// grow; triggers and views; lookup tables seeded and reset; tables retired).
// Deterministic; every migration applies cleanly to an empty database in order.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace pgmig_test {

/// The history as (file name, content) pairs in the single-file format
/// (YYYYMMDD_HHMMSS_name.sql with up and down sections): `entities` tables (at
/// most 32) with ten migrations each, plus the set-wide ones (≈ 10 × entities + 15).
std::vector<std::pair<std::string, std::string>> forum_history(std::size_t entities = 32);

} // namespace pgmig_test
