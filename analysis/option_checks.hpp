#pragma once
// Checks every option of every subcommand gets before its own validators, so a
// bad value is one line naming it and exit 2 before anything is allocated:
//   - an empty value ('', "--sw2="), which CLI11 would otherwise convert to 0;
//   - a sign on an unsigned option (UINT: sizes, counts, seeds), which the
//     conversion would wrap to 2^64 - 1 ("--epochs -1" running for ever);
//   - an integer beyond its type (UINT, INT), which would saturate silently;
//   - nan, inf or an overflowing literal (1e999) for a FLOAT option.
// Upper bounds stay with each option (CLI::Range, or the parser of a list).

#include <CLI/CLI.hpp>

namespace initlab::tool {

// Adds these checks to every option of `app` and of its subcommands that takes a
// value (flags are left alone).
void check_every_value(CLI::App& app);

// A number >= 0: CLI::NonNegativeNumber without the 309 digits of DBL_MAX that
// its message prints ("not in range 0.000000 to 1797693...").
CLI::Validator non_negative_number();

}  // namespace initlab::tool
